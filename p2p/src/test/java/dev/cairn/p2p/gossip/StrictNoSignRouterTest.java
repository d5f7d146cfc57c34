package dev.cairn.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * StrictNoSign at the router, checked on the RPCs it sends and the messages it delivers (gossipsub v1.1,
 * "Signature Policy Options"): authored messages carry no from/seqno/signature/key, received ones carrying
 * any of them are rejected, and content ids make identical content one message.
 */
class StrictNoSignRouterTest {
  private static final String TOPIC = "t";
  private static final RpcCodec CODEC = new RpcCodec(GossipConfig.defaultRpcLimits());
  private static final GossipConfig NO_SIGN = GossipConfig.defaults().withSignaturePolicy(SignaturePolicy.STRICT_NO_SIGN);

  private final List<Rpc> sent = new ArrayList<>();
  private final List<ReceivedMessage> delivered = new ArrayList<>();
  private final GossipTransport transport = new GossipTransport() {
    @Override
    public void send(PeerId to, byte[] rpc, Priority priority) {
      sent.add(((RpcDecoding.Decoded) CODEC.decode(rpc)).rpc());
    }

    @Override
    public void disconnect(PeerId peer, String reason) {}
  };

  private static HostKey key(int n) {
    byte[] seed = new byte[32];
    seed[0] = (byte) n;
    return HostKey.fromSeed(seed);
  }

  private GossipRouter router(MessageIdFunction ids) {
    GossipRouter r = new GossipRouter(NO_SIGN, key(0), ids, transport, Runnable::run, new Random(1), 1_000_000);
    r.subscribe(TOPIC, delivered::add);
    return r;
  }

  private static PeerId subscribedPeer(GossipRouter r, int n) {
    PeerId p = key(n).peerId();
    r.peerConnected(p);
    r.rpcReceived(p, CODEC.encode(new Rpc(List.of(new Rpc.Subscription(true, TOPIC)), List.of(), Control.EMPTY)));
    return p;
  }

  private static byte[] carrying(PubsubMessage m) {
    return CODEC.encode(new Rpc(List.of(), List.of(m), Control.EMPTY));
  }

  @Test
  void authoredMessagesCarryOnlyTopicAndData() {
    GossipRouter r = router(MessageIdFunction.contentHash());
    subscribedPeer(r, 1);
    sent.clear();
    assertThat(r.publish(TOPIC, new byte[] {1, 2, 3})).isInstanceOf(PublishResult.Published.class);
    List<PubsubMessage> onWire = sent.stream().flatMap(rpc -> rpc.messages().stream()).toList();
    assertThat(onWire).singleElement().satisfies(m -> {
      assertThat(m.from().isEmpty() && m.seqno().isEmpty() && m.signature().isEmpty() && m.key().isEmpty()).isTrue();
      assertThat(m.data().toByteArray()).containsExactly(1, 2, 3);
    });
  }

  @Test
  void receivedMessagesWithAnySignatureFieldAreRejectedAndNotMarkedSeen() {
    GossipRouter r = router(MessageIdFunction.contentHash());
    PeerId p = subscribedPeer(r, 1);
    ByteString data = ByteString.copyFromUtf8("payload");
    PubsubMessage signed = MessageSigning.sign(key(1), TOPIC, data, 7);
    PubsubMessage plain = PubsubMessage.unsigned(TOPIC, data);
    List<PubsubMessage> carryingOneField = List.of(signed,
        new PubsubMessage(signed.from(), data, ByteString.EMPTY, TOPIC, ByteString.EMPTY, ByteString.EMPTY),
        new PubsubMessage(ByteString.EMPTY, data, signed.seqno(), TOPIC, ByteString.EMPTY, ByteString.EMPTY),
        new PubsubMessage(ByteString.EMPTY, data, ByteString.EMPTY, TOPIC, signed.signature(), ByteString.EMPTY),
        new PubsubMessage(ByteString.EMPTY, data, ByteString.EMPTY, TOPIC, ByteString.EMPTY, signed.key()));
    for (PubsubMessage m : carryingOneField) {
      r.rpcReceived(p, carrying(m));
    }
    assertThat(r.stats().invalidMessages()).isEqualTo(carryingOneField.size());
    assertThat(delivered).isEmpty();
    // The rejected copies share the genuine message's content id; none of them may shadow it.
    r.rpcReceived(p, carrying(plain));
    assertThat(delivered).singleElement().satisfies(m -> assertThat(m.message()).isEqualTo(plain));
  }

  @Test
  void identicalContentIsOneMessageFromAnyPeerAndForOwnPublishes() {
    GossipRouter r = router(MessageIdFunction.contentHash());
    PeerId p1 = subscribedPeer(r, 1);
    PeerId p2 = subscribedPeer(r, 2);
    PubsubMessage m = PubsubMessage.unsigned(TOPIC, ByteString.copyFromUtf8("same bytes"));
    r.rpcReceived(p1, carrying(m));
    r.rpcReceived(p2, carrying(m));
    assertThat(delivered).hasSize(1);
    assertThat(r.stats().duplicates()).isEqualTo(1);
    assertThat(r.publish(TOPIC, "same bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(PublishResult.Refused.class,
            refused -> assertThat(refused.reason()).isEqualTo(PublishResult.Reason.DUPLICATE));
  }

  @Test
  void contentIdsSeparateTopicsAndAreUnambiguous() {
    MessageIdFunction ids = MessageIdFunction.contentHash();
    ByteString data = ByteString.copyFromUtf8("x");
    assertThat(ids.apply(PubsubMessage.unsigned("a", data))).isNotEqualTo(ids.apply(PubsubMessage.unsigned("b", data)));
    // Without the length prefix both would hash "abc".
    assertThat(ids.apply(PubsubMessage.unsigned("ab", ByteString.copyFromUtf8("c"))))
        .isNotEqualTo(ids.apply(PubsubMessage.unsigned("a", ByteString.copyFromUtf8("bc"))));
    assertThat(ids.apply(PubsubMessage.unsigned("a", data))).isEqualTo(ids.apply(PubsubMessage.unsigned("a", data)));
    assertThat(ids.apply(PubsubMessage.unsigned("a", data)).bytes().size()).isEqualTo(32);
  }

  @Test
  void anIdFunctionThatGivesEmptyIdsUnderStrictNoSignFailsLoudly() {
    GossipRouter r = router(MessageIdFunction.fromAndSeqno());
    assertThatThrownBy(() -> r.publish(TOPIC, new byte[] {1})).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("contentHash");
  }
}
