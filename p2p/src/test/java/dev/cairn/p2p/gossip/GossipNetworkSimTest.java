package dev.cairn.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.p2p.gossip.SimGossipNetwork.Node;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seeded simulations of 10 routers on a random sparse topology (a spanning tree plus a few chords, never a
 * clique). Each test runs several seeds; a failure names its seed.
 */
class GossipNetworkSimTest {
  private static final String TOPIC = "cairn/test";
  private static final long[] SEEDS = {1, 2, 3, 42, 20261124};

  private static GossipConfig config(boolean floodPublish) {
    return GossipConfig.defaults().withHeartbeatIntervalMillis(200).withFloodPublish(floodPublish);
  }

  private static SimGossipNetwork network(long seed, boolean floodPublish) {
    SimGossipNetwork net = new SimGossipNetwork(seed, config(floodPublish), 10, MessageIdFunction.fromAndSeqno());
    net.randomSparseTopology(4);
    net.nodes.forEach(n -> n.subscribe(TOPIC));
    net.scheduler.runFor(2_000);
    return net;
  }

  private static List<MessageId> publishFromEach(SimGossipNetwork net, List<Node> publishers, String prefix) {
    List<MessageId> ids = new ArrayList<>();
    for (Node n : publishers) {
      var result = n.router.publish(TOPIC, (prefix + " from " + n.index).getBytes(StandardCharsets.UTF_8));
      assertThat(result).isInstanceOf(PublishResult.Published.class);
      ids.add(((PublishResult.Published) result).id());
      net.scheduler.runFor(7);
    }
    net.scheduler.runFor(3_000);
    return ids;
  }

  private static void assertEveryoneGotEachOnce(List<Node> nodes, List<MessageId> ids, List<Node> publishers, long seed) {
    for (Node n : nodes) {
      for (int i = 0; i < ids.size(); i++) {
        int expected = publishers.get(i) == n ? 0 : 1; // no self-delivery
        assertThat(n.deliveries.getOrDefault(ids.get(i), 0))
            .as("seed=%d node=%d message from node %d", seed, n.index, publishers.get(i).index)
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void everyMessageReachesEveryNodeExactlyOnceOnASparseTopology() {
    for (long seed : SEEDS) {
      for (boolean flood : new boolean[] {true, false}) {
        SimGossipNetwork net = network(seed, flood);
        assertThat(net.linkCount()).as("sparse, not a clique").isLessThan(10 * 9 / 2 / 2);
        List<MessageId> ids = publishFromEach(net, net.nodes, "hello");
        assertEveryoneGotEachOnce(net.nodes, ids, net.nodes, seed);
        long dups = net.nodes.stream().mapToLong(n -> n.router.stats().duplicates()).sum();
        assertThat(dups).as("seed=%d: a mesh with redundancy sees duplicates, and drops them", seed).isPositive();
      }
    }
  }

  @Test
  void meshesSettleWithinBounds() {
    for (long seed : SEEDS) {
      SimGossipNetwork net = network(seed, false);
      for (Node n : net.nodes) {
        int topicPeers = n.router.topicPeers(TOPIC).size();
        int mesh = n.router.meshPeers(TOPIC).size();
        assertThat(mesh).as("seed=%d node=%d", seed, n.index)
            .isBetween(Math.min(topicPeers, 1), net.config.dHigh());
        assertThat(n.router.topicPeers(TOPIC)).containsAll(n.router.meshPeers(TOPIC));
      }
    }
  }

  @Test
  void afterThreeNodesDieTheRestStillDeliver() {
    for (long seed : SEEDS) {
      SimGossipNetwork net = network(seed, false);
      // Kill 3 nodes whose loss keeps the survivors connected (a partition cannot deliver by definition).
      List<Node> candidates = new ArrayList<>(net.nodes);
      java.util.Collections.shuffle(candidates, new java.util.Random(seed));
      int killed = 0;
      for (Node n : candidates) {
        if (killed < 3 && net.aliveConnectedWithout(n)) {
          net.kill(n);
          killed++;
        }
      }
      assertThat(net.alive()).hasSize(7);
      net.scheduler.runFor(1_000);
      List<Node> alive = net.alive();
      List<MessageId> ids = publishFromEach(net, alive, "after failure");
      assertEveryoneGotEachOnce(alive, ids, alive, seed);
    }
  }

  @Test
  void gossipRecoversMessagesLostOnTheWire() {
    // IHAVE goes only to topic peers outside the mesh, so every node needs more links than mesh slots:
    // degree 5 (ring, +2, +5 chords) against a mesh of at most dHigh = 3.
    GossipConfig base = config(false);
    GossipConfig small = new GossipConfig(2, 1, 3, 6, base.gossipFactor(), base.heartbeatInitialDelayMillis(),
        base.heartbeatIntervalMillis(), base.fanoutTtlMillis(), base.mcacheLength(), base.mcacheGossip(),
        base.seenTtlMillis(), base.seenEntriesMax(), base.pruneBackoffMillis(), base.unsubscribeBackoffMillis(),
        base.gossipRetransmissionMax(), base.ihaveIdsPerHeartbeatMax(), base.ihavePerHeartbeatMax(),
        base.topicsPerPeerMax(), base.topicsMax(), base.outboundRpcQueueMax(), base.outboundQueueBytesMax(),
        base.validationsPendingMax(), base.eventQueueMax(), false, base.signaturePolicy(), base.rpc());
    for (long seed : SEEDS) {
      SimGossipNetwork net = new SimGossipNetwork(seed, small, 10, MessageIdFunction.fromAndSeqno());
      for (int i = 0; i < 10; i++) {
        net.link(i, (i + 1) % 10);
        net.link(i, (i + 2) % 10);
        net.link(i, (i + 5) % 10);
      }
      net.nodes.forEach(n -> n.subscribe(TOPIC));
      net.scheduler.runFor(2_000);
      net.messageLoss = 0.2;
      List<MessageId> ids = publishFromEach(net, net.nodes, "lossy");
      assertThat(net.rpcsLost).as("seed=%d", seed).isPositive();
      assertEveryoneGotEachOnce(net.nodes, ids, net.nodes, seed);
      long served = net.nodes.stream().mapToLong(n -> n.router.stats().iwantServed()).sum();
      assertThat(served).as("seed=%d: IHAVE/IWANT did the recovering", seed).isPositive();
    }
  }

  @Test
  void aReplayedRpcIsNotDeliveredTwice() {
    SimGossipNetwork net = network(7, false);
    Node a = net.nodes.get(0);
    Node b = net.nodes.stream().filter(n -> net.linked(0, n.index)).findFirst().orElseThrow();
    PublishResult.Published p = (PublishResult.Published) a.router.publish(TOPIC, "once".getBytes(StandardCharsets.UTF_8));
    net.scheduler.runFor(2_000);
    assertThat(b.deliveries).containsEntry(p.id(), 1);
    PubsubMessage original = b.received.get(p.id());
    byte[] replay = new RpcCodec(net.config.rpc()).encode(new Rpc(List.of(), List.of(original, original), Control.EMPTY));
    long dupsBefore = b.router.stats().duplicates();
    b.router.rpcReceived(a.id(), replay);
    net.scheduler.runFor(2_000);
    assertThat(b.deliveries).containsEntry(p.id(), 1);
    assertThat(b.router.stats().duplicates()).isEqualTo(dupsBefore + 2);
  }

  @Test
  void aValidatorRejectStopsPropagation() {
    // A line 0 - 1 - 2 - 3: everything from 0 must pass node 1, whose validator rejects "bad" data.
    SimGossipNetwork net = new SimGossipNetwork(11, config(false), 4, MessageIdFunction.fromAndSeqno());
    net.link(0, 1);
    net.link(1, 2);
    net.link(2, 3);
    net.nodes.forEach(n -> n.subscribe(TOPIC));
    net.nodes.get(1).router.setValidator(TOPIC, TopicValidator.sync((from, m) ->
        m.data().toStringUtf8().startsWith("bad") ? ValidationResult.REJECT : ValidationResult.ACCEPT));
    net.scheduler.runFor(2_000);
    Node origin = net.nodes.get(0);
    MessageId bad = ((PublishResult.Published) origin.router.publish(TOPIC, "bad block".getBytes())).id();
    MessageId good = ((PublishResult.Published) origin.router.publish(TOPIC, "good block".getBytes())).id();
    net.scheduler.runFor(5_000);
    for (int i = 1; i < 4; i++) {
      Node n = net.nodes.get(i);
      assertThat(n.deliveries).as("node %d", i).containsEntry(good, 1);
      assertThat(n.deliveries).as("node %d", i).doesNotContainKey(bad);
    }
    assertThat(net.nodes.get(1).router.stats().rejected()).isEqualTo(1);
    assertThat(net.nodes.get(2).router.stats().delivered()).isEqualTo(1);
  }

  @Test
  void asyncValidationCompletesOnTheEventLoop() {
    SimGossipNetwork net = new SimGossipNetwork(12, config(false), 3, MessageIdFunction.fromAndSeqno());
    net.link(0, 1);
    net.link(1, 2);
    net.nodes.forEach(n -> n.subscribe(TOPIC));
    Set<Thread> threads = new HashSet<>();
    net.nodes.get(1).router.setValidator(TOPIC, (from, m) -> {
      var verdict = new java.util.concurrent.CompletableFuture<ValidationResult>();
      net.scheduler.schedule(50, () -> {
        threads.add(Thread.currentThread());
        verdict.complete(ValidationResult.ACCEPT);
      });
      return verdict;
    });
    net.scheduler.runFor(2_000);
    MessageId id = ((PublishResult.Published) net.nodes.get(0).router.publish(TOPIC, "slow".getBytes())).id();
    net.scheduler.runFor(2_000);
    assertThat(net.nodes.get(2).deliveries).containsEntry(id, 1);
    assertThat(threads).containsExactly(Thread.currentThread());
  }
}
