package dev.cairn.tools.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The work dir of one bench run (genesis, keys, RocksDB data, logs) and the node processes started in it.
 * Closing it (at the end, or from a shutdown hook on Ctrl-C) stops every node still running, then deletes
 * the dir if the bench created it and {@code --keep} was not given; otherwise it says where the logs are.
 */
public final class BenchWorkspace implements AutoCloseable {
  private final Path dir;
  private final boolean deleteAtEnd;
  private final PrintStream out;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final Thread shutdownHook;
  private boolean closed;

  private BenchWorkspace(Path dir, boolean deleteAtEnd, PrintStream out) {
    this.dir = dir;
    this.deleteAtEnd = deleteAtEnd;
    this.out = out;
    this.shutdownHook = new Thread(this::closeFromHook, "bench-cleanup");
  }

  /** The cleanup decision: only a dir the bench made itself is deleted, and not when asked to keep it. */
  public static boolean deleteAtEnd(boolean workDirGiven, boolean keep) {
    return !workDirGiven && !keep;
  }

  /** Uses {@code given} (created if missing) or a fresh temp dir; registers the Ctrl-C cleanup. */
  public static BenchWorkspace open(Path given, boolean keep, PrintStream out) {
    try {
      Path dir = given != null ? Files.createDirectories(given) : Files.createTempDirectory("cairn-bench-");
      BenchWorkspace workspace = new BenchWorkspace(dir, deleteAtEnd(given != null, keep), out);
      Runtime.getRuntime().addShutdownHook(workspace.shutdownHook);
      return workspace;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the bench work dir", e);
    }
  }

  public Path dir() {
    return dir;
  }

  public boolean deletesAtEnd() {
    return deleteAtEnd;
  }

  /** Registers a started node so that it is stopped however the run ends. */
  public synchronized NodeProcess adopt(NodeProcess node) {
    nodes.add(node);
    return node;
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is already exiting: the hook runs (or ran) this same cleanup
    }
    cleanUp();
  }

  private void closeFromHook() {
    cleanUp();
  }

  private synchronized void cleanUp() {
    if (closed) {
      return;
    }
    closed = true;
    for (NodeProcess node : nodes) {
      node.stop();
    }
    if (deleteAtEnd) {
      deleteTree(dir);
      out.println("bench: deleted work dir " + dir + " (--keep or --work-dir keeps it)");
    } else {
      out.println("bench: kept work dir " + dir + " (node logs: " + dir + "/**/node.log)");
    }
  }

  /** Deletes {@code root} and everything under it; a file that vanished meanwhile is fine. */
  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          if (e != null) {
            throw e;
          }
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the bench work dir " + root, e);
    }
  }
}
