package dev.cairn.tools.loadgen;

import dev.cairn.rpc.client.RpcClient;
import dev.cairn.rpc.client.RpcError;
import dev.cairn.rpc.client.RpcTransportException;
import dev.cairn.tools.NodeJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Cairn node started as a separate process ({@code java -cp cairn-node.jar ...CairnCli run ...}, see {@link
 * NodeJvm}) so its CPU and memory can be measured apart from the load generator's. Output goes to {@code node.log} in its data dir.
 */
public final class NodeProcess implements AutoCloseable {
  private static final Duration READY_POLL_TIMEOUT = Duration.ofSeconds(5);
  private final String name;
  private final List<String> command;
  private final Path logFile;
  private final URI rpcUrl;
  private final java.util.Map<String, String> environment;
  private volatile Process process;

  private NodeProcess(String name, List<String> command, Path logFile, URI rpcUrl, java.util.Map<String, String> environment) {
    this.name = name;
    this.command = List.copyOf(command);
    this.logFile = logFile;
    this.rpcUrl = rpcUrl;
    this.environment = java.util.Map.copyOf(environment);
  }

  /**
   * Where and how a node process runs: {@code prefix} goes before the JVM's command line (e.g. {@code ip netns
   * exec NS}, which execs, so the process is still the JVM), {@code environment} is added to the inherited one,
   * and the node's JSON-RPC is reached at {@code rpcHost}.
   */
  public record Placement(List<String> prefix, java.util.Map<String, String> environment, String rpcHost) {
    public static final Placement LOCAL = new Placement(List.of(), java.util.Map.of(), "127.0.0.1");

    public Placement {
      prefix = List.copyOf(prefix);
      environment = java.util.Map.copyOf(environment);
    }
  }

  /**
   * Starts {@code run} with the given arguments plus generous RPC and mempool limits, and waits until its
   * JSON-RPC answers.
   */
  public static NodeProcess start(String name, List<String> jvmOptions, List<String> runArgs, int rpcPort,
      Path logFile, Duration readyTimeout) throws InterruptedException {
    NodeProcess node = launch(name, jvmOptions, runArgs, rpcPort, logFile);
    node.awaitReady(readyTimeout);
    return node;
  }

  /** Starts the process without waiting, so that a caller can register it for clean-up before it is ready. */
  public static NodeProcess launch(String name, List<String> jvmOptions, List<String> runArgs, int rpcPort,
      Path logFile) {
    return launch(name, Placement.LOCAL, jvmOptions, runArgs, rpcPort, logFile);
  }

  /** {@link #launch(String, List, List, int, Path)} at a placement (a network namespace, a faked clock). */
  public static NodeProcess launch(String name, Placement placement, List<String> jvmOptions, List<String> runArgs,
      int rpcPort, Path logFile) {
    List<String> command = new ArrayList<>(placement.prefix());
    command.addAll(NodeJvm.command(jvmOptions));
    command.add("run");
    command.addAll(runArgs);
    command.addAll(List.of("--rpc-port", Integer.toString(rpcPort),
        "--set", "rpc.requests-per-second-max=10000000",
        "--set", "rpc.request-bytes-max=16777216",
        "--set", "rpc.batch-length-max=5000",
        "--set", "mempool.txs-max=1000000",
        "--set", "mempool.bytes-max=1073741824",
        // Rigs (load, chaos) size heaps for the machine, not for the worst case of every bound: warn, do not refuse.
        "--set", "node.heap-check=warn",
        "--log-level", "INFO"));
    NodeProcess node = new NodeProcess(name, command, logFile,
        URI.create("http://" + placement.rpcHost() + ":" + rpcPort + "/"), placement.environment());
    node.launch(ProcessBuilder.Redirect.to(logFile.toFile()));
    return node;
  }

  private void launch(ProcessBuilder.Redirect output) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output);
      builder.environment().putAll(environment);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node " + name, e);
    }
  }

  /** SIGKILL, as in a crash or power loss: no clean RocksDB close, no goodbye to peers. */
  public void kill() throws InterruptedException {
    Process p = process;
    p.destroyForcibly();
    p.waitFor();
  }

  /** Starts the same command again on the same data dir (its output appended to the log), waits for its RPC. */
  public void restart(Duration readyTimeout) throws InterruptedException {
    if (process.isAlive()) {
      throw new IllegalStateException("node " + name + " is still running");
    }
    launch(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    awaitReady(readyTimeout);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code of a process that ended; -1 while it runs. */
  public int exitCode() {
    Process p = process;
    return p.isAlive() ? -1 : p.exitValue();
  }

  /** Waits until the node's JSON-RPC answers; fails if the process exits first. Returns this node. */
  public NodeProcess awaitReady(Duration timeout) throws InterruptedException {
    RpcClient rpc = new RpcClient(rpcUrl, READY_POLL_TIMEOUT);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("node " + name + " exited with " + process.exitValue() + "; see " + logFile);
      }
      try {
        rpc.blockNumber();
        return this;
      } catch (RpcError answered) {
        return this;
      } catch (RpcTransportException notYet) {
        // not listening yet: keep polling until the deadline
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("node " + name + " did not answer JSON-RPC within " + timeout + "; see " + logFile);
  }

  /**
   * Waits until {@code cairn_nodeInfo} reports at least {@code peersMin} connected peers, so that a
   * multi-validator run does not start its clock while the network is still forming (the first height would
   * then need round changes and its latency would measure start-up, not load).
   */
  public void awaitPeers(int peersMin, Duration timeout) throws InterruptedException {
    RpcClient rpc = new RpcClient(rpcUrl, READY_POLL_TIMEOUT);
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = -1;
    while (System.nanoTime() < deadline) {
      try {
        seen = rpc.nodeInfo().peerCount();
        if (seen >= peersMin) {
          return;
        }
      } catch (RpcTransportException e) {
        throw new IllegalStateException("node " + name + " stopped answering JSON-RPC: " + e.getMessage(), e);
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("node " + name + " has " + seen + " peers after " + timeout + ", needs " + peersMin);
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public URI rpcUrl() {
    return rpcUrl;
  }

  public Path logFile() {
    return logFile;
  }

  /** SIGTERM (the node closes RocksDB cleanly), then a kill after 15 s. */
  @Override
  public void close() throws InterruptedException {
    close(Duration.ofSeconds(15));
  }

  /** SIGTERM, then a kill if the process has not exited within {@code grace}. */
  public void close(Duration grace) throws InterruptedException {
    Process p = process;
    p.destroy();
    if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      p.waitFor();
    }
  }

  /** {@link #close()} for cleanup paths (shutdown hook): an interrupt becomes an immediate kill. */
  public void stop() {
    try {
      close();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
