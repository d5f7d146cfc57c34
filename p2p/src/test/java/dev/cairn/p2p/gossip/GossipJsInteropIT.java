package dev.cairn.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.p2p.P2pConfig;
import dev.cairn.p2p.host.ConnectionGater;
import dev.cairn.p2p.host.Host;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.identity.PeerId;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cairn's GossipSub against js-libp2p's @libp2p/gossipsub 17.1.1 over a real connection, both directions of
 * publishing, with StrictSign and js's default message ids ({@link MessageIdFunction#publicKeyAndSeqno()}).
 * Runs in {@code mvn verify}; needs node and npm, installs the pinned fixture itself.
 */
class GossipJsInteropIT {
  private static final String TOPIC = "interop";
  private static final long WAIT_MILLIS = 20_000;

  @BeforeAll
  static void installFixture() throws Exception {
    String missing = JsGossipPeer.missingTool();
    if (missing != null) {
      String msg = "!!!!! GossipJsInteropIT SKIPPED: '" + missing + "' is not installed: gossip interop NOT tested !!!!!";
      System.err.println(msg);
      Assumptions.abort(msg);
    }
    JsGossipPeer.install();
  }

  @Test
  void javaDialsJsAndTheyExchangeSignedMessagesBothWays() throws Exception {
    exchange(true);
  }

  @Test
  void jsDialsJavaAndTheyExchangeSignedMessagesBothWays() throws Exception {
    exchange(false);
  }

  private void exchange(boolean javaDials) throws Exception {
    HostKey key = HostKey.generate(new SecureRandom());
    // With a node key's binding in the Noise payload, as a node sends it: js-libp2p must skip that extension.
    Host host = new Host(key, P2pConfig.defaults(), ConnectionGater.open(), java.util.Optional.of(
        dev.cairn.p2p.identity.PeerBinding.sign(dev.cairn.ledger.crypto.KeyPair.fromSeedText("interop"), "cairn-interop", key.peerId())));
    GossipService gossip = new GossipService(host, key, GossipConfig.defaults().withHeartbeatIntervalMillis(200),
        MessageIdFunction.publicKeyAndSeqno());
    List<ReceivedMessage> received = new CopyOnWriteArrayList<>();
    gossip.start();
    host.start(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    gossip.subscribe(TOPIC, received::add).join();
    String[] args = javaDials
        ? new String[] {"--topic", TOPIC}
        : new String[] {"--topic", TOPIC, "--dial", host.listenAddrs().get(0).withPeerId(host.peerId()).toString()};
    try (JsGossipPeer js = JsGossipPeer.start(args)) {
      String listening = js.await("listening", l -> true, WAIT_MILLIS);
      PeerId jsId = PeerId.fromBase58(JsGossipPeer.field(listening, "peerId"));
      if (javaDials) {
        host.dial(Multiaddr.parse(JsGossipPeer.firstAddr(listening))).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
      } else {
        js.await("dialed", l -> true, WAIT_MILLIS);
      }
      js.await("subscribed", l -> l.contains(host.peerId().toBase58()), WAIT_MILLIS);
      awaitTrue(() -> gossip.meshPeers(TOPIC).join().contains(jsId));

      PublishResult published = gossip.publish(TOPIC, "hello from java".getBytes(StandardCharsets.UTF_8)).join();
      assertThat(published).isInstanceOf(PublishResult.Published.class);
      String line = js.await("message", l -> l.contains("hello from java"), WAIT_MILLIS);
      assertThat(JsGossipPeer.field(line, "from")).isEqualTo(host.peerId().toBase58());

      js.command("publish " + TOPIC + " hello from js");
      awaitTrue(() -> received.stream().anyMatch(m -> m.message().data().toStringUtf8().equals("hello from js")));
      ReceivedMessage m = received.get(0);
      assertThat(m.receivedFrom()).isEqualTo(jsId);
      assertThat(m.message().from().toByteArray()).isEqualTo(jsId.bytes());
      assertThat(gossip.stats().join().invalidMessages()).isZero();
    } finally {
      gossip.close();
      host.stop();
    }
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT_MILLIS + " ms");
      }
      Thread.sleep(50);
    }
  }
}
