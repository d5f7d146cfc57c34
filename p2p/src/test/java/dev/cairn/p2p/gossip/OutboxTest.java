package dev.cairn.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.PeerId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxTest {
  @Test
  void controlIsChunkedSoThatEveryRpcPassesTheReceiversLimits() {
    RpcLimits limits = new RpcLimits(1 << 20, 16, 16, 4, 10, 64, 64, 64);
    RpcCodec codec = new RpcCodec(limits);
    List<Rpc> sent = new ArrayList<>();
    GossipTransport transport = new GossipTransport() {
      @Override
      public void send(PeerId to, byte[] rpc, Priority priority) {
        RpcDecoding d = codec.decode(rpc);
        assertThat(d).as("the receiver accepts it under the same limits").isInstanceOf(RpcDecoding.Decoded.class);
        sent.add(((RpcDecoding.Decoded) d).rpc());
      }

      @Override
      public void disconnect(PeerId peer, String reason) {}
    };
    PeerId peer = HostKey.fromSeed(new byte[32]).peerId();
    Outbox outbox = new Outbox(limits);
    outbox.subscription(peer, new Rpc.Subscription(true, "t"));
    outbox.graft(peer, "t");
    outbox.prune(peer, "u", 60);
    List<MessageId> total = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      List<MessageId> ids = new ArrayList<>();
      for (int j = 0; j < 4; j++) {
        MessageId id = MessageId.of(new byte[] {(byte) i, (byte) j});
        ids.add(id);
        total.add(id);
      }
      outbox.ihave(peer, new Control.IHave("t", ids));
    }
    outbox.iwant(peer, new Control.IWant(List.of(MessageId.of(new byte[] {9}))));
    outbox.flush(transport);

    assertThat(sent.size()).isGreaterThan(1);
    assertThat(sent.get(0).subscriptions()).hasSize(1);
    assertThat(sent.get(0).control().graft()).hasSize(1);
    assertThat(sent.get(0).control().prune()).hasSize(1);
    List<MessageId> announced = sent.stream().flatMap(r -> r.control().ihave().stream())
        .flatMap(h -> h.messageIds().stream()).toList();
    assertThat(announced).containsExactlyElementsOf(total);
    assertThat(sent.stream().mapToLong(r -> r.control().iwant().size()).sum()).isEqualTo(1);
    outbox.flush(transport);
    assertThat(sent.stream().mapToLong(r -> r.control().iwant().size()).sum()).as("flushed once").isEqualTo(1);
  }
}
