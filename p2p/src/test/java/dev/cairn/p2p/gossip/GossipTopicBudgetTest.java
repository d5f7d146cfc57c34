package dev.cairn.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.PeerId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Validation and verification budgets are per topic: a flood of slow-to-validate messages on one topic
 * (transactions) must not throttle another topic (consensus votes) on the same router, and a message
 * throttled for lack of room is not marked seen, so a later copy is still taken.
 */
class GossipTopicBudgetTest {
  private static final String FLOOD = "tx";
  private static final String VOTES = "consensus";
  private static final int BUDGET = 4;
  private static final RpcCodec CODEC = new RpcCodec(GossipConfig.defaultRpcLimits());

  private final List<ReceivedMessage> delivered = new ArrayList<>();
  private final ArrayDeque<CompletableFuture<ValidationResult>> slowValidations = new ArrayDeque<>();
  private final ArrayDeque<Runnable> verifications = new ArrayDeque<>();
  private final GossipTransport transport = new GossipTransport() {
    @Override
    public void send(PeerId to, byte[] rpc, Priority priority) {}

    @Override
    public void disconnect(PeerId peer, String reason) {}
  };

  private static HostKey key(int n) {
    byte[] seed = new byte[32];
    seed[0] = (byte) n;
    return HostKey.fromSeed(seed);
  }

  private GossipRouter router(PeerId peer, boolean verifierPool) {
    GossipConfig config = GossipConfig.defaults().withValidationsPendingMax(BUDGET);
    GossipRouter r = verifierPool
        ? new GossipRouter(config, key(0), MessageIdFunction.fromAndSeqno(), transport, Runnable::run,
            verifications::add, new Random(1), 1_000_000)
        : new GossipRouter(config, key(0), MessageIdFunction.fromAndSeqno(), transport, Runnable::run,
            new Random(1), 1_000_000);
    r.subscribe(FLOOD, delivered::add);
    r.subscribe(VOTES, delivered::add);
    r.setValidator(FLOOD, (from, message) -> {
      CompletableFuture<ValidationResult> pending = new CompletableFuture<>();
      slowValidations.add(pending);
      return pending;
    });
    r.setValidator(VOTES, TopicValidator.sync((from, message) -> ValidationResult.ACCEPT));
    r.peerConnected(peer);
    return r;
  }

  private static byte[] rpcOf(PubsubMessage m) {
    return CODEC.encode(new Rpc(List.of(), List.of(m), Control.EMPTY));
  }

  private static PubsubMessage message(String topic, int seqno) {
    return MessageSigning.sign(key(2), topic, ByteString.copyFromUtf8(topic + seqno), seqno);
  }

  @Test
  void aValidationFloodOnOneTopicDoesNotThrottleAnother() {
    PeerId peer = key(1).peerId();
    GossipRouter r = router(peer, false);
    for (int i = 0; i < BUDGET + 3; i++) {
      r.rpcReceived(peer, rpcOf(message(FLOOD, i)));
    }
    assertThat(slowValidations).as("only the topic's budget is in flight").hasSize(BUDGET);
    assertThat(r.stats().validationThrottled()).isEqualTo(3);

    PubsubMessage vote = message(VOTES, 100);
    r.rpcReceived(peer, rpcOf(vote));
    assertThat(delivered).extracting(ReceivedMessage::message).containsExactly(vote);
  }

  @Test
  void aThrottledMessageIsNotMarkedSeenAndIsTakenWhenThereIsRoom() {
    PeerId peer = key(1).peerId();
    GossipRouter r = router(peer, false);
    for (int i = 0; i < BUDGET; i++) {
      r.rpcReceived(peer, rpcOf(message(FLOOD, i)));
    }
    PubsubMessage late = message(FLOOD, 50);
    r.rpcReceived(peer, rpcOf(late));
    assertThat(r.stats().validationThrottled()).isEqualTo(1);
    assertThat(r.topicStats().get(FLOOD).throttled()).as("a drop of that topic").isEqualTo(1);

    slowValidations.poll().complete(ValidationResult.ACCEPT);
    r.rpcReceived(peer, rpcOf(late));
    assertThat(r.stats().duplicates()).as("the throttled copy did not mark it seen").isZero();
    assertThat(slowValidations).hasSize(BUDGET);
  }

  @Test
  void signatureVerificationBudgetsArePerTopicToo() {
    PeerId peer = key(1).peerId();
    GossipRouter r = router(peer, true);
    for (int i = 0; i < BUDGET + 2; i++) {
      r.rpcReceived(peer, rpcOf(message(FLOOD, i)));
    }
    assertThat(verifications).as("flood verifications in flight").hasSize(BUDGET);
    PubsubMessage vote = message(VOTES, 7);
    r.rpcReceived(peer, rpcOf(vote));
    assertThat(verifications).as("the vote still gets verified").hasSize(BUDGET + 1);
    while (!verifications.isEmpty()) {
      verifications.poll().run();
    }
    assertThat(delivered).extracting(ReceivedMessage::message).contains(vote);
  }
}
