package dev.cairn.chain.archive;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.store.ChainHead;
import dev.cairn.ledger.store.ChainStore;
import dev.cairn.chain.LocalChain;
import java.io.IOException;
import java.util.Optional;

/**
 * Imports a block archive into a chain: the same path as block sync, so each block must link to the head,
 * carry a quorum certificate of the validator set in force at its height (following every set change the
 * imported blocks make), and re-execute here to its header's state root and receipts before it is committed.
 * Blocks the chain already holds are skipped if they are the same blocks and refused otherwise. A refusal
 * leaves the chain at the last block that passed: every commit is atomic.
 */
public final class BlockImport {
  /** Called after each block the import commits or skips. */
  @FunctionalInterface
  public interface Progress {
    void advanced(long height, BlockArchive.Header header, long transactionsImported);
  }

  /** How an import ended. */
  public sealed interface Outcome {
    record Imported(long imported, long skipped, long transactions, ChainHead head) implements Outcome {}

    /**
     * The import stopped: {@code height} where (-1 for the file as a whole), a stable {@code reason}, what was
     * found, and what the operator should do about it.
     */
    record Refused(long height, String reason, String detail, String advice) implements Outcome {
      public String oneLine() {
        return (height >= 0 ? "height " + height + ": " : "") + reason + ": " + detail + "; " + advice;
      }
    }
  }

  private static final String DAMAGED = "the file is damaged or not a complete export: export it again from a node that holds these blocks";

  private final LocalChain chain;
  private final ChainStore store;
  private final String chainId;

  public BlockImport(LocalChain chain, String chainId) {
    this.chain = chain;
    this.store = chain.store();
    this.chainId = chainId;
  }

  public Outcome run(BlockArchiveReader reader, Progress progress) throws IOException {
    BlockArchive.Header header;
    switch (reader.open()) {
      case BlockArchiveReader.Opening.Refused refused -> {
        return refused(-1, refused.invalid(), DAMAGED);
      }
      case BlockArchiveReader.Opening.Opened opened -> header = opened.header();
    }
    Outcome.Refused mismatch = checkHeader(header);
    if (mismatch != null) {
      return mismatch;
    }
    long imported = 0;
    long skipped = 0;
    long transactions = 0;
    while (true) {
      BlockArchiveReader.Item item = reader.next();
      switch (item) {
        case BlockArchiveReader.Item.Invalid invalid -> {
          return refused(-1, invalid, DAMAGED + " (" + (imported + skipped) + " blocks before it were kept)");
        }
        case BlockArchiveReader.Item.End end -> {
          return new Outcome.Imported(imported, skipped, transactions, store.head().orElseThrow());
        }
        case BlockArchiveReader.Item.Block block -> {
          FinalizedBlock finalized = block.block();
          long height = finalized.block().height();
          if (height <= chain.head().height()) {
            Optional<Hash> held = store.hashAt(height);
            if (!held.map(finalized.block().hash()::equals).orElse(false)) {
              return new Outcome.Refused(height, "block_differs", "the file's block " + finalized.block().hash().shortHex()
                  + " is not this chain's block " + held.map(Hash::shortHex).orElse("(none)"),
                  "the file is not of this chain; do not import it here");
            }
            skipped++;
          } else {
            Validation validation = chain.importFinalized(finalized);
            if (validation instanceof Validation.Invalid invalid) {
              return new Outcome.Refused(height, invalid.reason(), invalid.detail(), adviceFor(invalid.reason(), height));
            }
            imported++;
            transactions += finalized.block().transactions().size();
          }
          progress.advanced(height, header, transactions);
        }
      }
    }
  }

  private Outcome.Refused checkHeader(BlockArchive.Header header) {
    if (!header.chainId().equals(chainId)) {
      return new Outcome.Refused(-1, "wrong_chain_id", "the file holds blocks of chain '" + header.chainId()
          + "', this data dir's genesis is chain '" + chainId + "'", "import it into a node of that chain, with its genesis.json");
    }
    Hash genesis = store.genesisHash().orElseThrow(() -> new IllegalStateException("the store has no genesis"));
    if (!header.genesisHash().equals(genesis)) {
      return new Outcome.Refused(-1, "wrong_genesis", "the file's genesis is " + header.genesisHash().shortHex()
          + ", this data dir's is " + genesis.shortHex(), "import it into a node started from the same genesis.json");
    }
    long head = chain.head().height();
    if (header.fromHeight() > head + 1) {
      return new Outcome.Refused(-1, "gap_before_file", "the file starts at height " + header.fromHeight()
          + " and this chain's head is " + head, "import heights " + (head + 1) + ".." + (header.fromHeight() - 1)
          + " first (export them with --from " + (head + 1) + ")");
    }
    return null;
  }

  private static String adviceFor(String reason, long height) {
    if (reason.startsWith("seal_") || reason.startsWith("certificate_")) {
      return "block " + height + " is not certified by the validators of that height: the file is not of this chain "
          + "or was tampered with; do not use it";
    }
    return "block " + height + " does not re-execute to its header here: the file is not of this chain or was "
        + "tampered with; do not use it (the blocks before it were imported and verified)";
  }

  private static Outcome.Refused refused(long height, BlockArchiveReader.Item.Invalid invalid, String advice) {
    return new Outcome.Refused(height, invalid.reason().name().toLowerCase(java.util.Locale.ROOT), invalid.detail(), advice);
  }
}
