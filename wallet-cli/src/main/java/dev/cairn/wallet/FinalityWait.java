package dev.cairn.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.rpc.client.RpcClient;
import java.io.PrintWriter;
import java.util.Optional;

/** Polls the node for a transaction's receipt until it is final, showing progress on a terminal. */
final class FinalityWait {
  private static final long POLL_MILLIS = 200;
  private static final int PROGRESS_LINE_WIDTH = 60;

  private FinalityWait() {}

  static JsonNode await(RpcClient client, String txId, int timeoutSeconds, PrintWriter progress, boolean showProgress) {
    long start = System.nanoTime();
    long deadline = start + timeoutSeconds * 1_000_000_000L;
    while (true) {
      Optional<JsonNode> receipt = client.getReceipt(txId);
      if (receipt.isPresent()) {
        if (showProgress) {
          // Blank out the progress line so that what follows starts on a clean line.
          progress.print("\r" + " ".repeat(PROGRESS_LINE_WIDTH) + "\r");
          progress.flush();
        }
        return receipt.get();
      }
      long now = System.nanoTime();
      if (now > deadline) {
        throw new IllegalStateException("transaction " + txId + " not final after " + timeoutSeconds
            + " s; it may still be pending: check later with 'wallet tx " + txId + "'");
      }
      if (showProgress) {
        progress.printf("\rwaiting for finality of %s... %.1f s", shortId(txId), (now - start) / 1e9);
        progress.flush();
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + txId);
      }
    }
  }

  /**
   * Whether a progress line may be drawn on stderr: only on an interactive terminal, never into a pipe or a
   * file where its carriage returns and padding would end up in captured output. From JDK 22 on,
   * {@code System.console()} exists even when redirected and {@code Console.isTerminal()} tells; JDK 21 (our
   * release level, which lacks that method) returns no console at all when not interactive. Both look at
   * stdin and stdout only, so where the process can see its own descriptors (Linux' /proc) stderr must be a
   * terminal device too: {@code wallet notarize big.iso 2>log} keeps the log clean.
   */
  static boolean onTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    boolean interactive;
    try {
      interactive = (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      interactive = true;
    }
    return interactive && stderrIsTerminalDevice();
  }

  private static boolean stderrIsTerminalDevice() {
    java.nio.file.Path stderr = java.nio.file.Path.of("/proc/self/fd/2");
    try {
      String target = java.nio.file.Files.readSymbolicLink(stderr).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
      return true; // no /proc: trust the console check alone
    }
  }

  private static String shortId(String txId) {
    return txId.length() > 14 ? txId.substring(0, 14) + "…" : txId;
  }
}
