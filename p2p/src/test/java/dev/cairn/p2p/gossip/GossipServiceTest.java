package dev.cairn.p2p.gossip;

import static dev.cairn.p2p.gossip.LoopbackGossipHosts.awaitTrue;
import static dev.cairn.p2p.gossip.LoopbackGossipHosts.connect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.p2p.P2pConfig;
import dev.cairn.p2p.gossip.LoopbackGossipHosts.Node;
import dev.cairn.p2p.host.ConnectionGater;
import dev.cairn.p2p.host.Host;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.wire.FrameReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GossipSub over real hosts on loopback: TCP, Noise, Yamux, /meshsub/1.1.0 streams. */
class GossipServiceTest {
  private static final String TOPIC = "cairn/blocks";
  private final LoopbackGossipHosts hosts = new LoopbackGossipHosts();
  private final List<Node<MessageId>> nodes = new ArrayList<>();

  private Node<MessageId> node(int index, Random random) {
    Node<MessageId> n = hosts.start(index, random, GossipConfig.defaults().withHeartbeatIntervalMillis(100),
        MessageIdFunction.fromAndSeqno(), TOPIC, ReceivedMessage::id);
    nodes.add(n);
    return n;
  }

  @AfterEach
  void stop() {
    hosts.close();
  }

  @Test
  void tenHostsOnASparseTopologyDeliverEveryMessageOnceAndSurviveThreeDeaths() throws Exception {
    long seed = 20261124L;
    Random random = new Random(seed);
    for (int i = 0; i < 10; i++) {
      node(i, random);
    }
    // Ring plus two chords: every node has 2-3 links; 12 links of 45 possible.
    for (int i = 0; i < 10; i++) {
      connect(nodes.get(i), nodes.get((i + 1) % 10));
    }
    connect(nodes.get(0), nodes.get(5));
    connect(nodes.get(2), nodes.get(7));
    awaitTrue("meshes formed", () -> nodes.stream().allMatch(n -> !n.gossip().meshPeers(TOPIC).join().isEmpty()));

    List<MessageId> ids = publishFromEach(nodes, "round one");
    awaitDeliveredOnce(nodes, ids);

    // Kill 3 nodes that leave the rest connected: 1, 4 and 8 (the ring breaks into arcs joined by the chords).
    for (int dead : new int[] {1, 4, 8}) {
      nodes.get(dead).gossip().close();
      nodes.get(dead).host().stop();
    }
    List<Node<MessageId>> alive = nodes.stream().filter(n -> n.index() != 1 && n.index() != 4 && n.index() != 8).toList();
    List<MessageId> after = publishFromEach(alive, "round two");
    awaitDeliveredOnce(alive, after);
  }

  @Test
  void garbageOnTheGossipStreamIsRefusedAndTheServiceKeepsWorking() throws Exception {
    Random random = new Random(7);
    Node<MessageId> a = node(0, random);
    Node<MessageId> b = node(1, random);
    connect(a, b);
    // Mallory runs no gossip service: she only opens a raw /meshsub stream to b.
    Host mallory = new Host(HostKey.generate(new java.security.SecureRandom()), P2pConfig.defaults(),
        ConnectionGater.open());
    mallory.start(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    try {
      mallory.dial(b.host().listenAddrs().get(0).withPeerId(b.host().peerId())).orTimeout(10, TimeUnit.SECONDS).join();
      java.util.concurrent.CompletableFuture<Boolean> reset = new java.util.concurrent.CompletableFuture<>();
      dev.cairn.p2p.P2pStream raw = mallory.newStream(b.host().peerId(), GossipConfig.PROTOCOL_ID,
          new dev.cairn.p2p.StreamListener() {
            @Override
            public void onData(dev.cairn.p2p.P2pStream s, byte[] bytes) {}

            @Override
            public void onReset(dev.cairn.p2p.P2pStream s) {
              reset.complete(true);
            }
          }).get(5, TimeUnit.SECONDS);
      raw.write(FrameReader.frame(new byte[] {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}));
      awaitTrue("malformed RPC counted", () -> b.gossip().stats().join().rpcMalformed() == 1);
      raw.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f}); // a 256 MiB frame length
      assertThat(reset.get(5, TimeUnit.SECONDS)).isTrue();
    } finally {
      mallory.stop();
    }
    awaitTrue("mesh", () -> a.gossip().meshPeers(TOPIC).join().contains(b.host().peerId()));
    PublishResult r = a.gossip().publish(TOPIC, "after garbage".getBytes(StandardCharsets.UTF_8)).join();
    MessageId id = ((PublishResult.Published) r).id();
    awaitTrue("delivered after garbage", () -> b.deliveries().containsKey(id));
  }

  private static List<MessageId> publishFromEach(List<Node<MessageId>> publishers, String text) {
    List<MessageId> ids = new ArrayList<>();
    for (Node<MessageId> n : publishers) {
      PublishResult r = n.gossip().publish(TOPIC, (text + " " + n.index()).getBytes(StandardCharsets.UTF_8)).join();
      ids.add(((PublishResult.Published) r).id());
    }
    return ids;
  }

  private static void awaitDeliveredOnce(List<Node<MessageId>> nodes, List<MessageId> ids) throws InterruptedException {
    awaitTrue("all delivered", () -> nodes.stream().allMatch(n ->
        ids.stream().filter(n.deliveries()::containsKey).count() == ids.size() - 1));
    Thread.sleep(300); // let any duplicate arrive, to prove it is dropped
    for (Node<MessageId> n : nodes) {
      assertThat(ids.stream().filter(n.deliveries()::containsKey).count()).as("node %d", n.index()).isEqualTo(ids.size() - 1);
      n.deliveries().forEach((id, count) -> assertThat(count).as("node %d id %s", n.index(), id).isEqualTo(1));
    }
  }
}
