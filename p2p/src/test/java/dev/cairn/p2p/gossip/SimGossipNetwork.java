package dev.cairn.p2p.gossip;

import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.PeerId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Routers connected by in-memory links on a {@link SimScheduler}: each RPC is delivered after a seeded
 * random latency, in order per link. Nodes can be killed (their links go down, neighbours see a
 * disconnect). Records every delivery per node, so tests can check reach and dedup.
 */
final class SimGossipNetwork {
  final SimScheduler scheduler = new SimScheduler();
  final Random random;
  final GossipConfig config;
  final List<Node> nodes = new ArrayList<>();
  private final Set<Long> links = new HashSet<>();
  long rpcsSent;
  /** Probability that an RPC carrying full messages is lost on a link (control always arrives). */
  double messageLoss;
  long rpcsLost;

  final class Node implements GossipTransport {
    final int index;
    final HostKey key;
    final GossipRouter router;
    boolean alive = true;
    final Map<MessageId, Integer> deliveries = new LinkedHashMap<>();
    final Map<MessageId, PubsubMessage> received = new LinkedHashMap<>();
    final Map<PeerId, Long> lastArrivalMillis = new HashMap<>();

    Node(int index, MessageIdFunction ids) {
      this.index = index;
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      this.key = HostKey.fromSeed(seed);
      this.router = new GossipRouter(config, key, ids, this, scheduler, new Random(random.nextLong()), 0);
    }

    PeerId id() {
      return key.peerId();
    }

    void subscribe(String topic) {
      router.subscribe(topic, m -> {
        deliveries.merge(m.id(), 1, Integer::sum);
        received.put(m.id(), m.message());
      });
    }

    @Override
    public void send(PeerId to, byte[] rpc, Priority priority) {
      Node target = byId(to);
      if (!alive || target == null || !target.alive || !linked(index, target.index)) {
        return;
      }
      rpcsSent++;
      if (priority == Priority.MESSAGES && messageLoss > 0 && random.nextDouble() < messageLoss) {
        rpcsLost++;
        return;
      }
      // Per-link FIFO like a stream: never arrive before the previous RPC on this link.
      long arrival = Math.max(scheduler.nowMillis() + 5 + random.nextInt(20),
          target.lastArrivalMillis.getOrDefault(id(), 0L));
      target.lastArrivalMillis.put(id(), arrival);
      PeerId from = id();
      scheduler.schedule(arrival - scheduler.nowMillis(), () -> {
        if (target.alive && alive && linked(index, target.index)) {
          target.router.rpcReceived(from, rpc);
        }
      });
    }

    @Override
    public void disconnect(PeerId peer, String reason) {
      Node other = byId(peer);
      if (other != null) {
        unlink(this, other);
      }
    }
  }

  SimGossipNetwork(long seed, GossipConfig config, int nodeCount, MessageIdFunction ids) {
    this.random = new Random(seed);
    this.config = config;
    for (int i = 0; i < nodeCount; i++) {
      nodes.add(new Node(i, ids));
    }
    for (Node n : nodes) {
      scheduler.every(config.heartbeatIntervalMillis(), config.heartbeatInitialDelayMillis() + random.nextInt(50),
          () -> {
            if (n.alive) {
              n.router.heartbeat(scheduler.nowMillis());
            }
          });
    }
  }

  Node byId(PeerId id) {
    for (Node n : nodes) {
      if (n.id().equals(id)) {
        return n;
      }
    }
    return null;
  }

  private static long key(int a, int b) {
    return ((long) Math.min(a, b) << 32) | Math.max(a, b);
  }

  boolean linked(int a, int b) {
    return links.contains(key(a, b));
  }

  void link(int a, int b) {
    if (a == b || !links.add(key(a, b))) {
      return;
    }
    nodes.get(a).router.peerConnected(nodes.get(b).id());
    nodes.get(b).router.peerConnected(nodes.get(a).id());
  }

  void unlink(Node a, Node b) {
    if (links.remove(key(a.index, b.index))) {
      a.router.peerDisconnected(b.id());
      b.router.peerDisconnected(a.id());
    }
  }

  /** A random connected sparse graph: a random spanning tree plus {@code extraLinks} random chords. */
  void randomSparseTopology(int extraLinks) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, random);
    for (int i = 1; i < order.size(); i++) {
      link(order.get(i), order.get(random.nextInt(i)));
    }
    int added = 0;
    while (added < extraLinks) {
      int a = random.nextInt(nodes.size());
      int b = random.nextInt(nodes.size());
      if (a != b && !linked(a, b)) {
        link(a, b);
        added++;
      }
    }
  }

  void kill(Node n) {
    n.alive = false;
    for (Node other : nodes) {
      if (other != n) {
        unlink(n, other);
      }
    }
  }

  List<Node> alive() {
    return nodes.stream().filter(n -> n.alive).toList();
  }

  /** True if the alive nodes other than {@code excluded} form one connected component. */
  boolean aliveConnectedWithout(Node excluded) {
    List<Node> alive = alive().stream().filter(n -> n != excluded).toList();
    if (alive.isEmpty()) {
      return true;
    }
    Set<Integer> reached = new HashSet<>();
    ArrayList<Integer> stack = new ArrayList<>(List.of(alive.get(0).index));
    while (!stack.isEmpty()) {
      int at = stack.remove(stack.size() - 1);
      if (reached.add(at)) {
        for (Node n : alive) {
          if (linked(at, n.index) && !reached.contains(n.index)) {
            stack.add(n.index);
          }
        }
      }
    }
    return reached.size() == alive.size();
  }

  int linkCount() {
    return links.size();
  }
}
