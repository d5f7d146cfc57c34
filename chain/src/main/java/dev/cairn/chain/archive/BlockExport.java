package dev.cairn.chain.archive;

import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.store.ChainStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes heights {@code from..to} of a chain store to a block archive. The file appears under its name only
 * once complete (written beside it as {@code FILE.partial}, then renamed), so a killed export never leaves a
 * file that looks whole.
 */
public final class BlockExport {
  /** Called after each block written. */
  @FunctionalInterface
  public interface Progress {
    void exported(long height, BlockArchive.Header header);
  }

  private BlockExport() {}

  public static BlockArchive.Header write(ChainStore store, String chainId, long from, long to, Path file, Progress progress)
      throws IOException {
    long head = store.head().orElseThrow(() -> new IllegalArgumentException("the chain store is empty")).height();
    if (from < 1 || to < from || to > head) {
      throw new IllegalArgumentException("heights " + from + ".." + to + " are not in 1.." + head
          + " (genesis is not exported: every node derives it from genesis.json)");
    }
    if (from < store.bodiesRetainedFrom()) {
      throw new IllegalArgumentException("this node pruned the blocks below height " + store.bodiesRetainedFrom()
          + " (storage.retain-blocks): export from --from " + store.bodiesRetainedFrom()
          + ", or from a node that keeps all blocks");
    }
    BlockArchive.Header header = new BlockArchive.Header(chainId, store.genesisHash().orElseThrow(), from, to);
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    try (OutputStream out = Files.newOutputStream(partial);
        BlockArchiveWriter writer = new BlockArchiveWriter(out, header)) {
      for (long height = from; height <= to; height++) {
        long at = height;
        FinalizedBlock block = store.finalizedBlock(height)
            .orElseThrow(() -> new IllegalStateException("no block at height " + at + " in the store"));
        writer.write(block);
        progress.exported(height, header);
      }
      writer.finish();
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return header;
  }
}
