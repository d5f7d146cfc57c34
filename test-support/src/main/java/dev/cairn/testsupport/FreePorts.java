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
}
