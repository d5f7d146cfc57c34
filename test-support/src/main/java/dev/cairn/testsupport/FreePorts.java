package dev.cairn.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs of free TCP ports for multi-process tests, whose generated configs need consecutive ports known before
 * the nodes start. Drawn below Linux's ephemeral range (32768 and up), where the kernel picks the local ports
 * of outgoing connections, so a port checked free here is not taken a moment later by some client's connect.
 */
public final class FreePorts {
  static final int FIRST = 20_000;
  static final int LAST_EXCLUSIVE = 32_000;
  private static final int ATTEMPTS = 100;

  private FreePorts() {}

  /** The first of {@code count} consecutive ports free on every local address now (the caller binds them soon). */
  public static int range(int count) throws IOException {
    if (count < 1 || count > 1_000) {
      throw new IllegalArgumentException("port count out of range: " + count);
    }
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int first = ThreadLocalRandom.current().nextInt(FIRST, LAST_EXCLUSIVE - count);
      if (allFree(first, count)) {
        return first;
      }
    }
    throw new IOException("no run of " + count + " free ports found in " + FIRST + "-" + LAST_EXCLUSIVE);
  }

  private static boolean allFree(int first, int count) {
    for (int port = first; port < first + count; port++) {
      try (ServerSocket socket = new ServerSocket(port)) {
        socket.setReuseAddress(true);
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  /** The first ports of a test network's node runs: p2p, and JSON-RPC (whose metrics port is derived from it). */
  public record NetworkPorts(int p2p, int rpc) {}

  /**
   * Free runs of {@code count} ports for p2p and for JSON-RPC, with the RPC run's derived metrics run ({@code rpc +
   * metricsOffset}) free too, and no two of the three runs overlapping: generated network configs refuse
   * overlapping runs, and two independent {@link #range} draws overlap now and then.
   */
  public static NetworkPorts network(int count, int metricsOffset) throws IOException {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int rpc = range(count);
      int metrics = rpc + metricsOffset;
      if (!allFree(metrics, count)) {
        continue;
      }
      int p2p = range(count);
      if (!overlaps(p2p, rpc, count) && !overlaps(p2p, metrics, count) && !overlaps(rpc, metrics, count)) {
        return new NetworkPorts(p2p, rpc);
      }
    }
    throw new IOException("no disjoint free runs of " + count + " ports for p2p, RPC and metrics (+" + metricsOffset + ")");
  }

  private static boolean overlaps(int first, int other, int count) {
    return first < other + count && other < first + count;
  }
}
