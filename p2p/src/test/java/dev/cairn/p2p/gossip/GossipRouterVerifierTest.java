package dev.cairn.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.PeerId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * StrictSign verification handed to a verifier executor: results come back as router events, forged copies
 * never shadow or duplicate the genuine message. The verifier here is a queue the test drains, so the
 * interleaving of arrivals and verification results is chosen, not left to threads.
 */
class GossipRouterVerifierTest {
  private static final String TOPIC = "t";
  private static final RpcCodec CODEC = new RpcCodec(GossipConfig.defaultRpcLimits());

  private final ArrayDeque<Runnable> verifications = new ArrayDeque<>();
  private final List<ReceivedMessage> delivered = new ArrayList<>();
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

  private GossipRouter router(PeerId peer) {
    GossipRouter r = new GossipRouter(GossipConfig.defaults(), key(0), MessageIdFunction.fromAndSeqno(), transport,
        Runnable::run, verifications::add, new Random(1), 1_000_000);
    r.subscribe(TOPIC, delivered::add);
    r.peerConnected(peer);
    return r;
  }

  private static byte[] rpcOf(PubsubMessage m) {
    return CODEC.encode(new Rpc(List.of(), List.of(m), Control.EMPTY));
  }

  private void runVerifications() {
    while (!verifications.isEmpty()) {
      verifications.poll().run();
    }
  }

  @Test
  void aMessageIsDeliveredOnlyAfterItsSignatureIsVerified() {
    PeerId peer = key(1).peerId();
    GossipRouter r = router(peer);
    PubsubMessage m = MessageSigning.sign(key(2), TOPIC, ByteString.copyFromUtf8("hello"), 7);

    r.rpcReceived(peer, rpcOf(m));
    assertThat(delivered).as("nothing before verification").isEmpty();
    assertThat(verifications).hasSize(1);

    runVerifications();
    assertThat(delivered).extracting(ReceivedMessage::message).containsExactly(m);
    assertThat(r.stats().invalidMessages()).isZero();
  }

  @Test
  void aForgedCopyVerifiedFirstDoesNotShadowTheGenuineMessage() {
    PeerId peer = key(1).peerId();
    GossipRouter r = router(peer);
    PubsubMessage genuine = MessageSigning.sign(key(2), TOPIC, ByteString.copyFromUtf8("real"), 9);
    PubsubMessage forged = new PubsubMessage(genuine.from(), ByteString.copyFromUtf8("fake"), genuine.seqno(),
        TOPIC, genuine.signature(), genuine.key());

    r.rpcReceived(peer, rpcOf(forged));
    r.rpcReceived(peer, rpcOf(genuine));
    r.rpcReceived(peer, rpcOf(genuine));
    assertThat(verifications).as("same id in flight is verified per copy").hasSize(3);

    runVerifications();
    assertThat(delivered).extracting(ReceivedMessage::message).containsExactly(genuine);
    assertThat(r.stats().invalidMessages()).isEqualTo(1);
    assertThat(r.stats().duplicates()).isEqualTo(1);
  }

  @Test
  void publishedMessagesAreSignedByTheAuthorCall() {
    PeerId peer = key(1).peerId();
    GossipRouter r = router(peer);
    PubsubMessage authored = r.author(TOPIC, new byte[] {1, 2, 3});
    PubsubMessage next = r.author(TOPIC, new byte[] {1, 2, 3});

    assertThat(MessageSigning.check(SignaturePolicy.STRICT_SIGN, authored)).isEqualTo(MessageCheck.VALID);
    assertThat(next.seqno()).as("each authored message takes a fresh seqno").isNotEqualTo(authored.seqno());
    assertThat(r.publish(authored)).isInstanceOf(PublishResult.Published.class);
    assertThat(r.publish(authored)).isInstanceOf(PublishResult.Refused.class);
  }
}
