package dev.cairn.p2p.gossip;

import dev.cairn.p2p.P2pConfig;
import dev.cairn.p2p.host.ConnectionGater;
import dev.cairn.p2p.host.Host;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.Multiaddr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Real gossip hosts for tests (TCP, Noise, Yamux, /meshsub/1.1.0 on loopback, OS-assigned ports), each
 * subscribed to one topic and counting deliveries by a key the test chooses. {@link #close} stops them all.
 */
final class LoopbackGossipHosts implements AutoCloseable {
  /** One started host; {@code deliveries} counts each delivered message by the test's key. */
  record Node<K>(int index, Host host, GossipService gossip, Map<K, Integer> deliveries) {}

  private final List<Node<?>> started = new ArrayList<>();

  <K> Node<K> start(int index, Random random, GossipConfig config, MessageIdFunction ids, String topic,
      Function<ReceivedMessage, K> deliveryKey) {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    HostKey key = HostKey.fromSeed(seed);
    Host host = new Host(key, P2pConfig.defaults(), ConnectionGater.open());
    GossipService gossip = new GossipService(host, key, config, ids);
    gossip.start();
    host.start(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    Map<K, Integer> deliveries = new ConcurrentHashMap<>();
    gossip.subscribe(topic, m -> deliveries.merge(deliveryKey.apply(m), 1, Integer::sum)).join();
    Node<K> node = new Node<>(index, host, gossip, deliveries);
    started.add(node);
    return node;
  }

  static void connect(Node<?> a, Node<?> b) {
    a.host().dial(b.host().listenAddrs().get(0).withPeerId(b.host().peerId())).orTimeout(10, TimeUnit.SECONDS).join();
  }

  static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    for (Node<?> node : started) {
      node.gossip().close();
      node.host().stop();
    }
  }
}
