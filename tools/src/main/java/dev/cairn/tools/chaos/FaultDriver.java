package dev.cairn.tools.chaos;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Applies a manifest's perturbations on schedule, each healing its own fault.
 * Records the start and the heal of each in the history; the first error (a node that does not come back)
 * is kept and fails the run.
 */
final class FaultDriver {
  private final List<Perturbation> perturbations;
  private final List<ChaosNode> nodes;
  private final History history;
  private final PrintStream out;
  static final long CATCH_UP_MILLIS_MAX = 120_000;

  private final List<Thread> threads = new ArrayList<>();
  private final List<Double> catchUps = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final java.util.concurrent.atomic.AtomicInteger healedCount = new java.util.concurrent.atomic.AtomicInteger();

  FaultDriver(List<Perturbation> perturbations, List<ChaosNode> nodes, History history, PrintStream out) {
    this.perturbations = perturbations;
    this.nodes = nodes;
    this.history = history;
    this.out = out;
  }

  /**
   * One virtual thread per node, taking that node's faults in order: a fault whose time comes while the
   * node's previous fault is still healing (a slow restart) waits for it, so two faults never act on one
   * process at once.
   */
  void start() {
    java.util.Map<Integer, List<Perturbation>> byNode = new java.util.TreeMap<>();
    perturbations.forEach(p -> byNode.computeIfAbsent(p.node(), n -> new ArrayList<>()).add(p));
    byNode.forEach((node, faults) -> threads.add(Thread.ofVirtual().name("faults-" + node).start(() -> {
      for (Perturbation p : faults) {
        try {
          apply(p);
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

  private void apply(Perturbation p) throws InterruptedException {
    ChaosNode node = nodes.get(p.node());
    sleepUntil(p.atSeconds());
    record(p, node, "start");
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
    }
    record(p, node, "heal");
    healedCount.incrementAndGet();
    catchUps.add(catchUpSeconds(node));
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
