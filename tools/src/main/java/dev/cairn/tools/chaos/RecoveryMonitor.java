package dev.cairn.tools.chaos;

import dev.cairn.rpc.client.RpcClient;
import dev.cairn.rpc.client.RpcException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Measures recovery: at the instant the last fault heals, the highest head any node reports is the mark;
 * each node has recovered when it reports a head above the mark. With no faults, the mark is taken at start.
 */
final class RecoveryMonitor {
  private final List<ChaosNode> nodes;
  private final History history;
  private final double healSeconds;
  private final java.util.function.BooleanSupplier healed;
  private final Map<String, Double> recovered = new ConcurrentHashMap<>();
  private volatile long mark = -1;
  private volatile long markAtMillis;
  private volatile boolean running = true;
  private Thread thread;

  /** @param healed whether every fault has healed (the nodes back up) */
  RecoveryMonitor(List<ChaosNode> nodes, History history, double healSeconds, java.util.function.BooleanSupplier healed) {
    this.healed = healed;
    this.nodes = nodes;
    this.history = history;
    this.healSeconds = healSeconds;
  }

  void start() {
    thread = Thread.ofVirtual().name("chaos-recovery").start(this::loop);
  }

  void stop() throws InterruptedException {
    running = false;
    thread.join();
  }

  /** Waits until every node has recovered, or {@code boundSeconds} after the mark. */
  void awaitRecovered(double boundSeconds) throws InterruptedException {
    while (running) {
      if (mark >= 0 && (recovered.size() == nodes.size()
          || history.now() - markAtMillis > boundSeconds * 1000 + 1000)) {
        return;
      }
      Thread.sleep(100);
    }
  }

  /** Seconds from the mark to a newer head, per node; NaN for a node that never showed one. */
  Map<String, Double> recoverySeconds() {
    Map<String, Double> out = new LinkedHashMap<>();
    nodes.forEach(n -> out.put(n.name(), recovered.getOrDefault(n.name(), Double.NaN)));
    return out;
  }

  private void loop() {
    while (running) {
      Map<String, Long> heads = new LinkedHashMap<>();
      for (ChaosNode n : nodes) {
        try {
          heads.put(n.name(), n.call(RpcClient::blockNumber));
        } catch (RpcException e) {
          // Down or paused: no head this round.
        }
      }
      if (mark < 0) {
        // The mark is the highest head any node reports at the first poll after the last fault healed.
        if (healed.getAsBoolean() && history.now() >= healSeconds * 1000 && !heads.isEmpty()) {
          mark = heads.values().stream().mapToLong(Long::longValue).max().orElseThrow();
          markAtMillis = history.now();
        }
      } else {
        heads.forEach((node, head) -> {
          if (head > mark) {
            recovered.putIfAbsent(node, (history.now() - markAtMillis) / 1000.0);
          }
        });
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
