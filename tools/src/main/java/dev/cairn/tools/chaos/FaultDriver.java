package dev.cairn.tools.chaos;

import dev.cairn.tools.netns.NetnsBridge;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Applies a manifest's perturbations on schedule, each healing its own fault.
 * Records the start and the heal of each in the history; the first error (a node that does not come back)
 * is kept and fails the run.
 */
final class FaultDriver {
  private final List<Perturbation> perturbations;
  private final List<ChaosNode> nodes;
  private final NetnsBridge hosts;
  private final History history;
  private final PrintStream out;
  private final List<Integer> p2pPorts;
  private final long seed;
  static final long CATCH_UP_MILLIS_MAX = 120_000;

  private final List<Thread> threads = new ArrayList<>();
  private final List<Double> catchUps = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final java.util.concurrent.atomic.AtomicInteger healedCount = new java.util.concurrent.atomic.AtomicInteger();

  /** @param hosts the nodes' network namespaces (node i in namespace i), or null when they share the host's */
  /**
   * @param p2pPorts each node's p2p port (what a {@code delay} relays)
   * @param seed seeds the {@code delay} relays' jitter
   */
  FaultDriver(List<Perturbation> perturbations, List<ChaosNode> nodes, NetnsBridge hosts, List<Integer> p2pPorts,
      long seed, History history, PrintStream out) {
    this.p2pPorts = List.copyOf(p2pPorts);
    this.seed = seed;
    this.perturbations = perturbations;
    this.nodes = nodes;
    this.hosts = hosts;
    this.history = history;
    this.out = out;
  }

  /**
   * One virtual thread per node, taking that node's faults in order: a fault whose time comes while the
   * node's previous fault is still healing (a slow restart) waits for it, so two faults never act on one
   * process at once.
   */
  void start() {
    java.util.Map<Integer, List<Integer>> byNode = new java.util.TreeMap<>();
    for (int i = 0; i < perturbations.size(); i++) {
      byNode.computeIfAbsent(perturbations.get(i).node(), n -> new ArrayList<>()).add(i);
    }
    byNode.forEach((node, faults) -> threads.add(Thread.ofVirtual().name("faults-" + node).start(() -> {
      for (int index : faults) {
        Perturbation p = perturbations.get(index);
        try {
          apply(p, index);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
          out.println("chaos event=fault-failed kind=" + p.kindName() + " node=" + nodes.get(p.node()).name()
              + " error=\"" + t.getMessage() + "\"");
          return;
        }
      }
    })));
  }

  /** Waits for every fault to heal; rethrows the first failure. */
  void await() throws InterruptedException {
    for (Thread t : threads) {
      t.join();
    }
    Throwable t = failure.get();
    if (t != null) {
      throw new IllegalStateException("a fault did not heal: " + t.getMessage(), t);
    }
  }

  void stop() {
    threads.forEach(Thread::interrupt);
  }

  private void apply(Perturbation p, int index) throws InterruptedException {
    ChaosNode node = nodes.get(p.node());
    sleepUntil(p.atSeconds());
    record(p, node, "start");
    // Each network fault has its own nftables table, so faults on different nodes compose and each heals alone.
    String table = "cairn_fault_" + index;
    switch (p.kind()) {
      case KILL -> {
        node.kill();
        sleepUntil(p.healsAtSeconds());
        node.restart();
      }
      case RESTART -> {
        node.terminate();
        sleepUntil(p.healsAtSeconds());
        node.restart();
      }
      case PAUSE -> {
        node.pause();
        try {
          sleepUntil(p.healsAtSeconds());
        } finally {
          node.resume();
        }
      }
      case WIPE_AND_REJOIN -> {
        node.kill();
        node.wipe();
        sleepUntil(p.healsAtSeconds());
        node.restart();
      }
      case ISOLATE -> cutFor(p, List.of(p.node()), table, true, true);
      case PARTITION -> cutFor(p, p.side(), table, true, true);
      case ONE_WAY -> cutFor(p, List.of(p.node()), table, false, true);
      // isolate and one-way with peers cut the node from those peers only (side holds them), e.g. a proposer
      // from half the validators while the rest still hear it
      case LOSS -> {
        hosts().lose(p.node(), table, others(List.of(p.node())), (int) p.amount());
        try {
          sleepUntil(p.healsAtSeconds());
        } finally {
          hosts().removeTable(p.node(), table);
        }
      }
      case DELAY -> delayFor(p, table, index);
      case BANDWIDTH -> {
        hosts().limitBandwidth(p.node(), (int) p.amount());
        try {
          sleepUntil(p.healsAtSeconds());
        } finally {
          hosts().removeBandwidthLimit(p.node());
        }
      }
      case DISK_FULL -> {
        node.fillDisk();
        try {
          sleepUntil(p.healsAtSeconds());
        } finally {
          node.freeDisk();
        }
        if (node.exitedOnItsOwn()) {
          out.printf(Locale.ROOT, "chaos t=%.1fs event=node-exited node=%s exit=%d restarting=true%n",
              history.now() / 1000.0, node.name(), node.process().exitCode());
          node.restart();
        }
      }
      case CLOCK_SKEW -> {
        node.skewClock(p.amount());
        try {
          sleepUntil(p.healsAtSeconds());
        } finally {
          node.skewClock(0);
        }
      }
    }
    record(p, node, "heal");
    healedCount.incrementAndGet();
    catchUps.add(catchUpSeconds(node));
  }

  /** Cuts every node of {@code side} off from every node outside it until the fault heals. */
  private void cutFor(Perturbation p, List<Integer> side, String table, boolean inbound, boolean outbound)
      throws InterruptedException {
    List<Integer> outside = p.kind() != Perturbation.Kind.PARTITION && !p.side().isEmpty() ? p.side() : others(side);
    List<Integer> done = new ArrayList<>();
    try {
      for (int member : side) {
        hosts().cut(member, table, outside, inbound, outbound);
        done.add(member);
      }
      sleepUntil(p.healsAtSeconds());
    } finally {
      for (int member : done) {
        hosts().removeTable(member, table);
      }
    }
  }

  /**
   * Relays every connection between the node and the others through a {@link DelayProxy} per target node,
   * until the fault heals: nftables in the node's namespace redirects its dials to the others' relays, and in
   * each other namespace redirects dials to the node to the node's relay; connections open before are reset
   * so they are redialled through the relays. Healing removes the rules and closes the relays (the nodes
   * redial directly).
   */
  private void delayFor(Perturbation p, String table, int index) throws InterruptedException {
    int node = p.node();
    List<Integer> outside = others(List.of(node));
    long delayMillis = (long) p.amount();
    SplittableRandom seeds = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (index + 1)));
    List<DelayProxy> relays = new ArrayList<>();
    List<Integer> done = new ArrayList<>();
    try {
      java.util.Map<Integer, String> relayOf = new java.util.HashMap<>();
      for (int target = 0; target < nodes.size(); target++) {
        DelayProxy relay = new DelayProxy(hosts().bridgeAddress(), new InetSocketAddress(hosts().address(target),
            p2pPorts.get(target)), delayMillis, delayMillis / 10, seeds.nextLong());
        relays.add(relay);
        relayOf.put(target, hosts().bridgeAddress() + ":" + relay.port());
      }
      java.util.Map<String, String> fromNode = new java.util.LinkedHashMap<>();
      for (int other : outside) {
        fromNode.put(hosts().address(other) + ":" + p2pPorts.get(other), relayOf.get(other));
      }
      hosts().redirect(node, table, fromNode, outside);
      done.add(node);
      for (int other : outside) {
        hosts().redirect(other, table, java.util.Map.of(hosts().address(node) + ":" + p2pPorts.get(node),
            relayOf.get(node)), List.of(node));
        done.add(other);
      }
      sleepUntil(p.healsAtSeconds());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot open a delay relay on the bridge", e);
    } finally {
      for (int member : done) {
        hosts().removeTable(member, table);
      }
      relays.forEach(DelayProxy::close);
      out.printf(Locale.ROOT, "chaos t=%.1fs event=delay-relayed node=%s ms=%d connections=%d bytes=%d%n",
          history.now() / 1000.0, nodes.get(node).name(), delayMillis,
          relays.stream().mapToLong(DelayProxy::connections).sum(), relays.stream().mapToLong(DelayProxy::bytes).sum());
    }
  }

  private List<Integer> others(List<Integer> side) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (!side.contains(i)) {
        out.add(i);
      }
    }
    return out;
  }

  private NetnsBridge hosts() {
    if (hosts == null) {
      throw new IllegalStateException("network faults need the nodes in network namespaces (namespaces = true)");
    }
    return hosts;
  }

  /**
   * Seconds from a node's return until its head reaches the highest head the other nodes reported at that
   * moment (NaN if not within {@link #CATCH_UP_MILLIS_MAX}).
   */
  private double catchUpSeconds(ChaosNode node) throws InterruptedException {
    long back = history.now();
    long target = 0;
    for (ChaosNode other : nodes) {
      if (other != node) {
        target = Math.max(target, head(other));
      }
    }
    while (history.now() - back < CATCH_UP_MILLIS_MAX) {
      if (head(node) >= target) {
        double seconds = (history.now() - back) / 1000.0;
        out.printf(Locale.ROOT, "chaos t=%.1fs event=caught-up node=%s height=%d after-s=%.1f%n", history.now() / 1000.0,
            node.name(), target, seconds);
        return seconds;
      }
      Thread.sleep(100);
    }
    return Double.NaN;
  }

  private static long head(ChaosNode node) {
    try {
      return node.call(dev.cairn.rpc.client.RpcClient::blockNumber);
    } catch (dev.cairn.rpc.client.RpcException e) {
      return -1;
    }
  }

  /** Catch-up time after each healed fault, in the order they healed. */
  List<Double> catchUpSeconds() {
    return List.copyOf(catchUps);
  }

  /** Every fault has healed: killed nodes restarted and answering, paused ones continued. */
  boolean allHealed() {
    return healedCount.get() == perturbations.size();
  }

  private void record(Perturbation p, ChaosNode node, String phase) {
    history.add(new History.Fault(p.kindName(), node.name(), phase, history.now()));
    out.printf(Locale.ROOT, "chaos t=%.1fs event=fault-%s kind=%s node=%s%n", history.now() / 1000.0, phase, p.kindName(),
        node.name());
  }

  private void sleepUntil(double seconds) throws InterruptedException {
    long wait = (long) (seconds * 1000) - history.now();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }
}
