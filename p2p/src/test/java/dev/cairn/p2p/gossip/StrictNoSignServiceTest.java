package dev.cairn.p2p.gossip;

import static dev.cairn.p2p.gossip.LoopbackGossipHosts.awaitTrue;
import static dev.cairn.p2p.gossip.LoopbackGossipHosts.connect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.p2p.gossip.LoopbackGossipHosts.Node;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** StrictNoSign with content ids over real hosts on loopback (TCP, Noise, Yamux, /meshsub/1.1.0). */
class StrictNoSignServiceTest {
  private static final String TOPIC = "cairn/tx";
  private final LoopbackGossipHosts hosts = new LoopbackGossipHosts();
  private int started;

  private Node<String> node(Random random, SignaturePolicy policy) {
    return hosts.start(started++, random,
        GossipConfig.defaults().withHeartbeatIntervalMillis(100).withSignaturePolicy(policy),
        MessageIdFunction.contentHash(), TOPIC, m -> m.message().data().toStringUtf8());
  }

  @AfterEach
  void stop() {
    hosts.close();
  }

  private static PublishResult publish(Node<String> n, String text) {
    return n.gossip().publish(TOPIC, text.getBytes(StandardCharsets.UTF_8)).join();
  }

  @Test
  void deliversAcrossHopsAndIdenticalContentFromTwoAuthorsIsOneMessage() throws Exception {
    Random random = new Random(20261124L);
    Node<String> a = node(random, SignaturePolicy.STRICT_NO_SIGN);
    Node<String> b = node(random, SignaturePolicy.STRICT_NO_SIGN);
    Node<String> c = node(random, SignaturePolicy.STRICT_NO_SIGN);
    connect(a, b); // a line: a - b - c, so c hears a only through b
    connect(b, c);
    awaitTrue("meshes", () -> b.gossip().meshPeers(TOPIC).join().size() == 2);

    assertThat(publish(a, "from a")).isInstanceOf(PublishResult.Published.class);
    awaitTrue("two hops", () -> c.deliveries().containsKey("from a") && b.deliveries().containsKey("from a"));

    // c and then a author the same bytes: a signed-gossip network would see two messages, content ids see one.
    // Once c's copy has reached a, a's own publish of those bytes is that message again. (Publishing both at
    // once raced: c's publish was refused as a duplicate whenever a's copy reached c first.)
    assertThat(publish(c, "same")).isInstanceOf(PublishResult.Published.class);
    awaitTrue("same delivered", () -> b.deliveries().containsKey("same") && a.deliveries().containsKey("same"));
    assertThat(publish(a, "same")).isInstanceOfSatisfying(PublishResult.Refused.class,
        r -> assertThat(r.reason()).isEqualTo(PublishResult.Reason.DUPLICATE));
    assertThat(publish(a, "after")).isInstanceOf(PublishResult.Published.class);
    awaitTrue("later message everywhere", () -> c.deliveries().containsKey("after") && b.deliveries().containsKey("after"));
    Thread.sleep(300); // let any duplicate arrive, to prove it is dropped
    assertThat(b.deliveries()).containsEntry("same", 1).containsEntry("from a", 1).containsEntry("after", 1);
    assertThat(c.deliveries()).containsEntry("from a", 1).containsEntry("after", 1).doesNotContainKey("same");
    assertThat(a.deliveries()).as("own content echoed back by peers is a duplicate; c's copy came once")
        .containsExactlyEntriesOf(java.util.Map.of("same", 1));
  }

  @Test
  void aSignedMessageIsRejectedUnderStrictNoSign() throws Exception {
    Random random = new Random(11);
    Node<String> a = node(random, SignaturePolicy.STRICT_NO_SIGN);
    Node<String> b = node(random, SignaturePolicy.STRICT_NO_SIGN);
    Node<String> signer = node(random, SignaturePolicy.STRICT_SIGN);
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
