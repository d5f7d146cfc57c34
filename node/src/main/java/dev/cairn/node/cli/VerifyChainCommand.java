package dev.cairn.node.cli;

import dev.cairn.ledger.store.ChainStore;
import dev.cairn.ledger.store.ChainVerifier;
import dev.cairn.ledger.store.StoreConfig;
import dev.cairn.ledger.store.VerificationResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Offline check of a stopped node's RocksDB: walks the chain from genesis to head (hash links, roots,
 * certificates against each height's validator set, indexes, nothing beyond the head), then checks the flat
 * state against the authenticated tree. Exits 0 only if both pass; otherwise prints the first problem.
 */
@Command(name = "verify-chain", mixinStandardHelpOptions = true,
    description = {
      "Check a STOPPED node's chain store from genesis to head and its state against the head's state root.",
      "Prints progress and the first problem found; exit code 0 = consistent, 1 = a problem, 2 = cannot open."
    })
final class VerifyChainCommand implements Callable<Integer> {
  /** Progress lines printed while walking the chain, at most: enough to see it move, few enough to read. */
  private static final int PROGRESS_LINES_MAX = 20;

  @Spec CommandSpec spec;

  @Option(names = "--data-dir", required = true, paramLabel = "DIR",
      description = "The node's data dir (the one given to run or devnet; the store is DIR/chain).")
  Path dataDir;

  @Option(names = "--skip-state", description = "Only walk the blocks; skip the (memory-hungry) flat state check.")
  boolean skipState;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path storeDir = dataDir.resolve("chain");
    if (!Files.isDirectory(storeDir)) {
      err.println("error: no chain store at " + storeDir + " (is --data-dir the node's data dir?)");
      return 2;
    }
    ChainStore store;
    try {
      store = ChainStore.openForVerification(storeDir, StoreConfig.DEFAULTS);
    } catch (RuntimeException e) {
      err.println("error: cannot open " + storeDir + ": " + e.getMessage() + " (stop the node first)");
      return 2;
    }
    try (store) {
      ChainVerifier verifier = new ChainVerifier(store);
      out.println("verifying blocks in " + storeDir);
      out.flush();
      VerificationResult blocks = verifier.verify((height, headHeight) -> {
        long step = Math.max(1, (headHeight + 1) / PROGRESS_LINES_MAX);
        if (height % step == 0 || height == headHeight) {
          out.println("  height " + height + " / " + headHeight);
          out.flush();
        }
      });
      if (blocks instanceof VerificationResult.Failed failed) {
        err.println("FAILED blocks: " + failed);
        return 1;
      }
      VerificationResult.Passed passed = (VerificationResult.Passed) blocks;
      out.println("blocks ok: " + passed.blocks() + " blocks, " + passed.transactions() + " transactions");
      if (!skipState) {
        out.println("verifying state against the head's state root");
        out.flush();
        VerificationResult state = verifier.verifyState();
        if (state instanceof VerificationResult.Failed failed) {
          err.println("FAILED state: " + failed);
          return 1;
        }
        out.println("state ok");
      }
      out.println("chain OK");
      return 0;
    }
  }
}
