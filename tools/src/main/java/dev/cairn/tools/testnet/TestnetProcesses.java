package dev.cairn.tools.testnet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.cairn.tools.NodeJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Node processes of a local network directory written by {@code cairn genesis new-network}: one JVM per
 * {@code node-<i>/config.toml}, its output appended to {@code node-<i>/node.log}. Used by
 * {@code cairn testnet} and by the multi-process integration test.
 */
public final class TestnetProcesses implements AutoCloseable {
  /** How long a node gets to shut down cleanly (SIGTERM) before it is killed. */
  public static final long STOP_GRACE_MILLIS = 15_000;

  /** The environment variable that sets the node's {@code node.heap-check}. */
  public static final String HEAP_CHECK_VARIABLE = "CAIRN_HEAP_CHECK";
  private final Path networkDir;
  private final List<String> javaCommand;
  private final Map<Integer, Process> processes = new TreeMap<>();

  /**
   * @param javaCommand the command up to the CLI's arguments, e.g. {@code [java, -Xmx512m, -cp, jar,
   *     dev.cairn.node.cli.CairnCli]} ({@link NodeJvm#command})
   */
  public TestnetProcesses(Path networkDir, List<String> javaCommand) {
    this.networkDir = networkDir;
    this.javaCommand = List.copyOf(javaCommand);
  }

  /** The node command ({@link NodeJvm}) with the heap bounded per node. */
  public static List<String> nodeJava(String heapMax) {
    return NodeJvm.command(List.of("-Xmx" + heapMax, "-XX:+UseParallelGC"));
  }

  /** Indexes of the {@code node-<i>} directories, ascending. */
  public static List<Integer> nodeIndexes(Path networkDir) {
    try (Stream<Path> entries = Files.list(networkDir)) {
      return entries.map(p -> p.getFileName().toString())
          .filter(name -> name.matches("node-\\d+"))
          .map(name -> Integer.parseInt(name.substring(5)))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + networkDir, e);
    }
  }

  public static Path configFile(Path networkDir, int index) {
    return networkDir.resolve("node-" + index).resolve("config.toml");
  }

  /** The JSON-RPC port written in a node's config. */
  public static int rpcPort(Path networkDir, int index) {
    try {
      JsonNode tree = new TomlMapper().readTree(configFile(networkDir, index).toFile());
      return tree.get("rpc").get("port").asInt();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + configFile(networkDir, index), e);
    }
  }

  public synchronized void start(int index) {
    Process old = processes.get(index);
    if (old != null && old.isAlive()) {
      throw new IllegalStateException("node-" + index + " is already running");
    }
    List<String> command = new ArrayList<>(javaCommand);
    command.addAll(List.of("run", "--config", configFile(networkDir, index).toString()));
    Path log = networkDir.resolve("node-" + index).resolve("node.log");
    try {
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      // Many nodes on one machine get heaps below the worst case of their bounds (HeapFit): warn, do not refuse,
      // unless the caller's environment says otherwise.
      builder.environment().putIfAbsent(HEAP_CHECK_VARIABLE, "warn");
      Process process = builder.start();
      processes.put(index, process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node-" + index + ": " + e.getMessage(), e);
    }
  }

  /** SIGKILL: the node gets no chance to clean up, as in a crash or power loss. */
  public synchronized void kill(int index) throws InterruptedException {
    Process process = processes.get(index);
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  public synchronized boolean isAlive(int index) {
    Process process = processes.get(index);
    return process != null && process.isAlive();
  }

  /** The operating-system process id of node {@code index}, while it runs. */
  public synchronized java.util.OptionalLong pid(int index) {
    Process process = processes.get(index);
    return process != null && process.isAlive() ? java.util.OptionalLong.of(process.pid()) : java.util.OptionalLong.empty();
  }

  public synchronized List<Integer> running() {
    return processes.entrySet().stream().filter(e -> e.getValue().isAlive()).map(Map.Entry::getKey).toList();
  }

  /** SIGTERM to every node, then SIGKILL to those still running after the grace period. */
  @Override
  public synchronized void close() {
    for (Process process : processes.values()) {
      process.destroy();
    }
    long deadline = System.currentTimeMillis() + STOP_GRACE_MILLIS;
    for (Process process : processes.values()) {
      try {
        if (!process.waitFor(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
