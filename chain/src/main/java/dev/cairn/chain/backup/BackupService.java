package dev.cairn.chain.backup;

import dev.cairn.ledger.store.ChainHead;
import dev.cairn.ledger.store.ChainStore;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link BackupRequests} on a running node: every {@link #POLL_INTERVAL_MILLIS} it looks for requests
 * and writes each as a RocksDB checkpoint of the chain store into {@code <target>/chain}, so that
 * {@code cairn verify-chain --data-dir <target>} reads it and a node restores from it by using it as its data
 * dir. One thread; a request is answered before the next is read. At most {@link #REQUESTS_PER_POLL_MAX} per
 * poll, so a directory filled with junk cannot keep the thread busy.
 */
public final class BackupService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackupService.class);
  static final long POLL_INTERVAL_MILLIS = 500;
  static final int REQUESTS_PER_POLL_MAX = 4;

  private final Path dataDir;
  private final ChainStore store;
  private final ScheduledExecutorService thread;

  private BackupService(Path dataDir, ChainStore store) {
    this.dataDir = dataDir;
    this.store = store;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "backup-requests");
      t.setDaemon(true);
      return t;
    });
  }

  public static BackupService start(Path dataDir, ChainStore store) {
    BackupService service = new BackupService(dataDir, store);
    service.thread.scheduleWithFixedDelay(service::poll, POLL_INTERVAL_MILLIS, POLL_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    return service;
  }

  void poll() {
    Path dir = BackupRequests.dir(dataDir);
    if (!Files.isDirectory(dir)) {
      return;
    }
    int served = 0;
    try (DirectoryStream<Path> requests = Files.newDirectoryStream(dir, "*.request")) {
      for (Path request : requests) {
        if (served++ >= REQUESTS_PER_POLL_MAX) {
          break;
        }
        serve(request);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("event=backup_poll_failed dir={} error={}", dir, e.toString());
    }
  }

  private void serve(Path request) throws IOException {
    String name = request.getFileName().toString();
    String id = name.substring(0, name.length() - ".request".length());
    if (!BackupRequests.ID.matcher(id).matches()) {
      Files.deleteIfExists(request);
      return;
    }
    Path answerDir = request.getParent();
    String target;
    try {
      target = BackupRequests.readBounded(request);
    } finally {
      Files.deleteIfExists(request);
    }
    try {
      Path dir = Path.of(target);
      if (!dir.isAbsolute()) {
        throw new IllegalArgumentException("target " + target + " is not an absolute path");
      }
      Files.createDirectories(dir);
      Path chain = dir.resolve("chain");
      if (Files.exists(chain)) {
        throw new IllegalArgumentException(chain + " already exists: back up into a new directory");
      }
      long start = System.nanoTime();
      Optional<ChainHead> head = store.checkpoint(chain);
      ChainHead at = head.orElseThrow(() -> new IllegalStateException("the chain store is empty"));
      LOG.info("event=backup_written dir={} height={} hash={} millis={}", dir, at.height(), at.hash().shortHex(),
          (System.nanoTime() - start) / 1_000_000);
      BackupRequests.writeAtomically(answerDir.resolve(id + ".done"), at.height() + " " + at.hash().toHex());
    } catch (RuntimeException | IOException e) {
      LOG.warn("event=backup_failed target={} error={}", target, e.getMessage());
      BackupRequests.writeAtomically(answerDir.resolve(id + ".failed"), String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      // A checkpoint in progress must finish before the store it reads closes.
      if (!thread.awaitTermination(60, TimeUnit.SECONDS)) {
        LOG.warn("event=backup_still_running_at_close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
