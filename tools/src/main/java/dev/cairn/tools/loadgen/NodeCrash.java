package dev.cairn.tools.loadgen;

import dev.cairn.rpc.client.RpcException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * The fault of the crash scenario, on its own thread: {@code killAfterSeconds} into the measurement window
 * the victim gets SIGKILL; {@code downSeconds} later it is started again on the same data dir; then it is
 * followed until its head reaches the reference node's (it caught up through block sync while the load ran).
 */
public final class NodeCrash {
  static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(180);
  private final NodeProcess victim;
  private final NodeProcess reference;
  private final double killAfterSeconds;
  private final double downSeconds;
  private final PrintStream out;
  private final ChainAudit rpc = new ChainAudit();
  private Thread thread;
  private volatile long killNanos;
  private volatile long restartedNanos;
  private volatile long caughtUpNanos;
  private volatile RuntimeException failure;

  /** When things happened, System.nanoTime(); {@code caughtUpNanos} 0 if it never caught up. */
  public record Timeline(long killNanos, long restartedNanos, long caughtUpNanos) {}

  public NodeCrash(NodeProcess victim, NodeProcess reference, double killAfterSeconds, double downSeconds, PrintStream out) {
    this.victim = victim;
    this.reference = reference;
    this.killAfterSeconds = killAfterSeconds;
    this.downSeconds = downSeconds;
    this.out = out;
  }

  public void startAt(long windowStartNanos) {
    thread = Thread.ofPlatform().name("node-crash").start(() -> {
      try {
        sleepUntil(windowStartNanos + (long) (killAfterSeconds * 1e9));
        victim.kill();
        killNanos = System.nanoTime();
        out.printf(Locale.ROOT, "crash: SIGKILL %s (pid %d) at window t=%.1fs%n", victim.name(), victim.pid(),
            (killNanos - windowStartNanos) / 1e9);
        sleepUntil(killNanos + (long) (downSeconds * 1e9));
        victim.restart(Duration.ofSeconds(120));
        restartedNanos = System.nanoTime();
        out.printf(Locale.ROOT, "crash: %s restarted (pid %d), RPC up %.1f s after the kill%n", victim.name(), victim.pid(),
            (restartedNanos - killNanos) / 1e9);
        awaitCatchUp();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        failure = e;
      }
    });
  }

  private void awaitCatchUp() throws InterruptedException {
    long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        long target = rpc.blockNumber(reference.rpcUrl());
        long head = rpc.blockNumber(victim.rpcUrl());
        if (head >= target) {
          caughtUpNanos = System.nanoTime();
          out.printf(Locale.ROOT, "crash: %s caught up (height %d) %.1f s after the kill%n", victim.name(), head,
              (caughtUpNanos - killNanos) / 1e9);
          return;
        }
      } catch (RpcException notAnsweringYet) {
        // the restarted node may still be opening RocksDB: poll again
      }
      Thread.sleep(250);
    }
    out.println("crash: " + victim.name() + " did not catch up within " + CATCH_UP_TIMEOUT.toSeconds() + " s");
  }

  /** Waits for the fault thread (kill, restart, catch-up) to finish. */
  public Timeline await() throws InterruptedException {
    if (thread == null) {
      throw new IllegalStateException("the crash never started: the measurement window never began");
    }
    thread.join();
    if (failure != null) {
      throw failure;
    }
    return new Timeline(killNanos, restartedNanos, caughtUpNanos);
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    for (long wait = nanos - System.nanoTime(); wait > 0; wait = nanos - System.nanoTime()) {
      Thread.sleep(Math.max(1, wait / 1_000_000));
    }
  }
}
