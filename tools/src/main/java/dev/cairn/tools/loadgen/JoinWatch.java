package dev.cairn.tools.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.rpc.client.RpcClient;
import dev.cairn.rpc.client.RpcException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Times a fresh node from its launch until it is ready, polling every {@link #POLL_MILLIS}. Ready means: its
 * JSON-RPC answers, {@code cairn_syncing} is false, and its {@code cairn_blockNumber} is at most one below the
 * reference validator's, read in the same poll (the network keeps finalizing blocks meanwhile, so this is "at the
 * head and following it"; one block of slack for the gossip of the newest one).
 */
public final class JoinWatch {
  static final long POLL_MILLIS = 250;
  static final long PROGRESS_MILLIS = 10_000;

  /** How the join ended: {@code seconds} from launch to ready, the observer's head then and the reference's. */
  public record Joined(double seconds, long height, long referenceHeight) {}

  private JoinWatch() {}

  public static Joined await(NodeProcess observer, NodeProcess reference, long launchNanos, Duration timeout, PrintStream out)
      throws InterruptedException {
    RpcClient mine = new RpcClient(observer.rpcUrl(), Duration.ofSeconds(5));
    RpcClient theirs = new RpcClient(reference.rpcUrl(), Duration.ofSeconds(5));
    long deadline = launchNanos + timeout.toNanos();
    long lastPrint = System.nanoTime();
    String last = "not answering JSON-RPC yet";
    while (System.nanoTime() < deadline) {
      if (!observer.isAlive()) {
        throw new IllegalStateException(observer.name() + " exited with " + observer.exitCode() + " before it was ready; see "
            + observer.logFile());
      }
      try {
        long height = mine.blockNumber();
        JsonNode syncing = mine.call("cairn_syncing");
        long target = theirs.blockNumber();
        long now = System.nanoTime();
        boolean synced = syncing.isBoolean() && !syncing.asBoolean();
        if (synced && height >= target - 1) {
          return new Joined((now - launchNanos) / 1e9, height, target);
        }
        last = "at height " + height + " of " + target + (synced ? "" : ", syncing");
      } catch (RpcException notYet) {
        // not serving yet (state sync runs before the RPC server starts), or busy: poll again
      }
      long now = System.nanoTime();
      if (now - lastPrint >= PROGRESS_MILLIS * 1_000_000) {
        lastPrint = now;
        out.printf(Locale.ROOT, "join: %s %.0f s after launch: %s%n", observer.name(), (now - launchNanos) / 1e9, last);
      }
      Thread.sleep(POLL_MILLIS);
    }
    throw new IllegalStateException(observer.name() + " not ready within " + timeout + " (" + last + "); see " + observer.logFile());
  }
}
