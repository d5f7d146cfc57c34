package dev.cairn.node.cli;

import dev.cairn.ledger.store.ChainHead;
import dev.cairn.ledger.store.ChainStore;
import dev.cairn.ledger.store.StoreConfig;
import dev.cairn.chain.backup.BackupRequests;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairn backup --data-dir D DIR}: a consistent copy of a node's chain store in {@code DIR/chain}. On a
 * running node it asks the node, through its data dir ({@link BackupRequests}), for a RocksDB checkpoint,
 * which the node writes without stopping; on a stopped node it writes the checkpoint itself.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = {"Back up a node's chain store into DIR/chain (RocksDB checkpoint; online if the node runs).",
        "DIR should be on the data dir's file system (table files are then hard links, not copies).",
        "Check the result with: cairn verify-chain --data-dir DIR. Exit code 0 = written, 1 = failed."})
final class BackupCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "The node's data dir (its store is DIR/chain).")
  Path dataDir;

  @Option(names = "--timeout-seconds", defaultValue = "600", paramLabel = "SECONDS",
      description = "How long to wait for a running node's answer (default 600).")
  long timeoutSeconds;

  @Parameters(index = "0", paramLabel = "DIR", description = "Where to write the backup (must not hold a chain/ yet).")
  Path target;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path store = dataDir.resolve("chain");
    if (!Files.isDirectory(store)) {
      err.println("error: no chain store at " + store + " (is --data-dir the node's data dir?)");
      return 1;
    }
    Path absolute = target.toAbsolutePath().normalize();
    if (Files.exists(absolute.resolve("chain"))) {
      err.println("error: " + absolute.resolve("chain") + " already exists: back up into a new directory");
      return 1;
    }
    Optional<String> head = offline(store, absolute);
    if (head.isEmpty()) {
      out.println("the node is running: asking it for a checkpoint");
      out.flush();
      String id = UUID.randomUUID().toString();
      BackupRequests.request(dataDir, id, absolute);
      long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
      Optional<BackupRequests.Answer> answer = Optional.empty();
      while (answer.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(100);
        answer = BackupRequests.answer(dataDir, id);
      }
      if (answer.isEmpty()) {
        err.println("error: the node did not answer within " + timeoutSeconds + " s; is it running from " + dataDir
            + "? (the request stays in " + BackupRequests.dir(dataDir) + ")");
        return 1;
      }
      if (answer.get() instanceof BackupRequests.Answer.Failed failed) {
        err.println("error: the node could not write the backup: " + failed.reason());
        return 1;
      }
      head = Optional.of(((BackupRequests.Answer.Done) answer.get()).headLine());
    }
    out.println("backup of height " + head.get() + " written to " + absolute.resolve("chain"));
    out.println("check it with: cairn verify-chain --data-dir " + absolute);
    return 0;
  }

  /** The checkpoint written here if the store is not in use, else empty (its RocksDB lock is held). */
  private static Optional<String> offline(Path store, Path target) throws java.io.IOException {
    ChainStore opened;
    try {
      opened = ChainStore.openForVerification(store, StoreConfig.small());
    } catch (RuntimeException e) {
      if (String.valueOf(e.getMessage()).contains("lock")) {
        return Optional.empty();
      }
      throw e;
    }
    try (opened) {
      Files.createDirectories(target);
      ChainHead head = opened.checkpoint(target.resolve("chain")).orElseThrow(() -> new IllegalStateException("empty store"));
      return Optional.of(head.height() + " " + head.hash().toHex());
    }
  }
}
