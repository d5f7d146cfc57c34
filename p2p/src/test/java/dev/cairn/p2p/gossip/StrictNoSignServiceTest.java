package dev.cairn.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.p2p.P2pConfig;
import dev.cairn.p2p.host.ConnectionGater;
import dev.cairn.p2p.host.Host;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.Multiaddr;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** StrictNoSign with content ids over real hosts on loopback (TCP, Noise, Yamux, /meshsub/1.1.0). */
class StrictNoSignServiceTest {
  private static final String TOPIC = "cairn/tx";
  private final List<Node> nodes = new ArrayList<>();

  private record Node(Host host, GossipService gossip, Map<String, Integer> deliveries) {}

  private Node node(Random random, SignaturePolicy policy) {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    HostKey key = HostKey.fromSeed(seed);
    Host host = new Host(key, P2pConfig.defaults(), ConnectionGater.open());
    GossipService gossip = new GossipService(host, key,
        GossipConfig.defaults().withHeartbeatIntervalMillis(100).withSignaturePolicy(policy),
        MessageIdFunction.contentHash());
    gossip.start();
    host.start(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    Map<String, Integer> deliveries = new ConcurrentHashMap<>();
    gossip.subscribe(TOPIC, m -> deliveries.merge(m.message().data().toStringUtf8(), 1, Integer::sum)).join();
    Node n = new Node(host, gossip, deliveries);
    nodes.add(n);
    return n;
  }

  @AfterEach
  void stop() {
    for (Node n : nodes) {
      n.gossip().close();
      n.host().stop();
    }
  }

  private static void connect(Node a, Node b) {
    a.host().dial(b.host().listenAddrs().get(0).withPeerId(b.host().peerId())).orTimeout(10, TimeUnit.SECONDS).join();
  }

  private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(20);
    }
  }

  private static PublishResult publish(Node n, String text) {
    return n.gossip().publish(TOPIC, text.getBytes(StandardCharsets.UTF_8)).join();
  }

  @Test
  void deliversAcrossHopsAndIdenticalContentFromTwoAuthorsIsOneMessage() throws Exception {
    Random random = new Random(20261124L);
    Node a = node(random, SignaturePolicy.STRICT_NO_SIGN);
    Node b = node(random, SignaturePolicy.STRICT_NO_SIGN);
    Node c = node(random, SignaturePolicy.STRICT_NO_SIGN);
    connect(a, b); // a line: a - b - c, so c hears a only through b
    connect(b, c);
    awaitTrue("meshes", () -> b.gossip().meshPeers(TOPIC).join().size() == 2);

    assertThat(publish(a, "from a")).isInstanceOf(PublishResult.Published.class);
    awaitTrue("two hops", () -> c.deliveries().containsKey("from a") && b.deliveries().containsKey("from a"));

    // a and c author the same bytes: a signed-gossip network would see two messages, content ids see one.
    assertThat(publish(a, "same")).isInstanceOf(PublishResult.Published.class);
    assertThat(publish(c, "same")).isInstanceOf(PublishResult.Published.class);
    assertThat(publish(a, "same")).isInstanceOfSatisfying(PublishResult.Refused.class,
        r -> assertThat(r.reason()).isEqualTo(PublishResult.Reason.DUPLICATE));
    awaitTrue("same delivered", () -> b.deliveries().containsKey("same"));
    assertThat(publish(a, "after")).isInstanceOf(PublishResult.Published.class);
    awaitTrue("later message everywhere", () -> c.deliveries().containsKey("after") && b.deliveries().containsKey("after"));
    Thread.sleep(300); // let any duplicate arrive, to prove it is dropped
    assertThat(b.deliveries()).containsEntry("same", 1).containsEntry("from a", 1).containsEntry("after", 1);
    assertThat(c.deliveries()).containsEntry("from a", 1).containsEntry("after", 1).doesNotContainKey("same");
    assertThat(a.deliveries()).as("own content echoed back by peers is a duplicate").isEmpty();
  }

  @Test
  void aSignedMessageIsRejectedUnderStrictNoSign() throws Exception {
    Random random = new Random(11);
    Node a = node(random, SignaturePolicy.STRICT_NO_SIGN);
    Node b = node(random, SignaturePolicy.STRICT_NO_SIGN);
    Node signer = node(random, SignaturePolicy.STRICT_SIGN);
    connect(a, b);
    connect(signer, b);
    awaitTrue("b sees both subscribed", () -> b.gossip().query(r -> r.topicPeers(TOPIC).size()).join() == 2
        && signer.gossip().query(r -> r.topicPeers(TOPIC).size()).join() == 1);

    assertThat(publish(signer, "signed")).isInstanceOf(PublishResult.Published.class);
    awaitTrue("refused at b", () -> b.gossip().stats().join().invalidMessages() == 1);
    assertThat(publish(a, "unsigned")).isInstanceOf(PublishResult.Published.class);
    awaitTrue("unsigned delivered", () -> b.deliveries().containsKey("unsigned"));
    Thread.sleep(200);
    assertThat(b.deliveries()).doesNotContainKey("signed");
    assertThat(a.deliveries()).doesNotContainKey("signed");
  }
}
