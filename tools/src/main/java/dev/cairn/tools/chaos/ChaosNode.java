package dev.cairn.tools.chaos;

import dev.cairn.rpc.client.RpcClient;
import dev.cairn.rpc.client.RpcException;
import dev.cairn.rpc.client.RpcTransportException;
import dev.cairn.tools.loadgen.NodeProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * One node process of a campaign and the faults that can be done to it. {@code incarnation} counts wipes:
 * after one, the node's earlier answers no longer bind what it says.
 */
final class ChaosNode {
  static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  /** JSON-RPC calls in flight to one node from the whole campaign; more wait (bounded sockets and threads). */
  static final int RPC_IN_FLIGHT_MAX = 96;

  private final NodeProcess process;
  private final Path dataDir;
  private final RpcClient rpc;
  private final Path clockFile;
  private final Semaphore inFlight = new Semaphore(RPC_IN_FLIGHT_MAX);
  private volatile int incarnation;
  private volatile boolean stopped;

  /**
   * @param rpc a client of this node, sharing its connection pool with the campaign's other clients
   * @param clockFile the file the node's faked clock reads its offset from ({@link ClockSkew}), or null when
   *     its clock is the machine's
   */
  ChaosNode(NodeProcess process, Path dataDir, RpcClient rpc, Path clockFile) {
    this.process = process;
    this.dataDir = dataDir;
    this.rpc = rpc;
    this.clockFile = clockFile;
  }

  /** Sets the node's wall clock {@code seconds} off the machine's (0 puts it back); it sees it within 1 s. */
  void skewClock(double seconds) {
    if (clockFile == null) {
      throw new IllegalStateException(name() + " was not started with a faked clock");
    }
    ClockSkew.write(clockFile, seconds);
  }

  /**
   * One JSON-RPC exchange with this node, at most {@link #RPC_IN_FLIGHT_MAX} at once. Any failure, including an
   * I/O error below the client, comes out as {@link RpcException}.
   */
  <T> T call(Function<RpcClient, T> exchange) {
    try {
      inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RpcTransportException("interrupted before calling " + name(), e);
    }
    try {
      return exchange.apply(rpc);
    } catch (RpcException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new RpcTransportException(name() + ": " + e, e);
    } finally {
      inFlight.release();
    }
  }

  String name() {
    return process.name();
  }

  NodeProcess process() {
    return process;
  }

  Path dataDir() {
    return dataDir;
  }

  int incarnation() {
    return incarnation;
  }

  /** False while the node is killed or stopped (a paused node is "up" but does not answer). */
  boolean up() {
    return !stopped && process.isAlive();
  }

  void kill() throws InterruptedException {
    stopped = true;
    process.kill();
  }

  void terminate() throws InterruptedException {
    stopped = true;
    process.close();
  }

  void restart() throws InterruptedException {
    process.restart(READY_TIMEOUT);
    stopped = false;
  }

  /**
   * Deletes what the data dir holds (chain store and consensus state), keeping the directory itself, which may
   * be a mount point; the node's key and config live beside it.
   */
  void wipe() {
    incarnation++;
    try (var entries = Files.list(dataDir)) {
      for (Path entry : entries.toList()) {
        deleteTree(entry);
      }
    } catch (java.nio.file.NoSuchFileException e) {
      // never started: nothing to wipe
    } catch (IOException e) {
      throw new UncheckedIOException("cannot wipe " + dataDir, e);
    }
  }

  private Path filler() {
    return dataDir.resolve("disk-full.filler");
  }

  /** Writes zeros into the data dir's filesystem until no byte is left (the node's next write fails). */
  void fillDisk() {
    byte[] chunk = new byte[1 << 20];
    try (var out = Files.newOutputStream(filler())) {
      while (true) {
        out.write(chunk);
      }
    } catch (IOException full) {
      // ENOSPC: the filesystem is full, which is the fault
    }
  }

  void freeDisk() {
    try {
      Files.deleteIfExists(filler());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot free " + filler(), e);
    }
  }

  /** The node stopped by itself (a consensus halt exits the process); it is started again as a supervisor would. */
  boolean exitedOnItsOwn() {
    return !stopped && !process.isAlive();
  }

  void pause() {
    signal("STOP");
  }

  void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder(List.of("kill", "-" + name, Long.toString(process.pid())))
          .redirectErrorStream(true).start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed: "
            + new String(kill.getInputStream().readAllBytes()).strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot signal " + name(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling " + name(), e);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    if (!Files.isDirectory(dir)) {
      try {
        Files.delete(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot wipe " + dir, e);
      }
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot wipe " + dir, e);
    }
  }
}
