package dev.cairn.node.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real node as a child JVM: {@code cairn devnet} on a data dir, RPC on a port the OS picks (read back from
 * the welcome text), stdout and stderr copied to a log file under target/ for debugging. {@link #close}
 * always leaves no child behind.
 */
final class DevnetProcess implements AutoCloseable {
  /** JVM start-up, RocksDB open and genesis on a loaded two-core machine. */
  static final long START_TIMEOUT_SECONDS = 120;
  static final long STOP_TIMEOUT_SECONDS = 60;
  static final long BLOCK_PERIOD_MILLIS = 200;
  private static final Pattern RPC_LINE = Pattern.compile("JSON-RPC\\s+(http://127\\.0\\.0\\.1:\\d+)");

  private final Process process;
  private final Path log;
  private final CompletableFuture<URI> rpc = new CompletableFuture<>();

  private DevnetProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static DevnetProcess start(Path dataDir, Path log) throws IOException {
    return start(dataDir, log, List.of(), List.of());
  }

  /** With more JVM options (before the class path) and {@code cairn devnet} flags (e.g. {@code --log-level TRACE}). */
  static DevnetProcess start(Path dataDir, Path log, List<String> jvmOptions, List<String> moreFlags) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    // The heap the node's default bounds need with their headroom (HeapFit: 514 MiB since the JSON-RPC
    // large-answer permits are counted), so the default heap check passes as it would for an operator.
    List<String> command = new ArrayList<>(List.of(java, "-Xmx576m", "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.cairn.node.cli.CairnCli",
        "devnet", "--data-dir", dataDir.toString(), "--rpc-port", "0",
        "--block-period-ms", Long.toString(BLOCK_PERIOD_MILLIS)));
    command.addAll(moreFlags);
    Files.createDirectories(log.getParent());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    DevnetProcess node = new DevnetProcess(process, log);
    Thread copier = new Thread(node::copyOutput, "devnet-output-" + process.pid());
    copier.setDaemon(true);
    copier.start();
    return node;
  }

  private void copyOutput() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        out.println(line);
        out.flush();
        Matcher m = RPC_LINE.matcher(line);
        if (m.find()) {
          rpc.complete(URI.create(m.group(1)));
        }
      }
    } catch (IOException e) {
      rpc.completeExceptionally(e);
    }
    rpc.completeExceptionally(new IllegalStateException("node exited before serving RPC; see " + log));
  }

  /** Blocks until the node prints its RPC URL. */
  URI awaitRpc() throws Exception {
    try {
      return rpc.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("node did not start within " + START_TIMEOUT_SECONDS + " s; see " + log, e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  /** SIGTERM, as an operator's service manager stops the node; returns the exit code. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException("node did not stop within " + STOP_TIMEOUT_SECONDS + " s after SIGTERM; see " + log);
    }
    return process.exitValue();
  }

  /** SIGKILL: no shutdown hook, no flush; only what RocksDB's synced WAL holds survives. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
