package dev.cairn.network.ports;

import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Validation;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the network hands finalized blocks from peers (sync, block gossip): they are committed in order on
 * the consensus thread, the chain's only writer, which skips blocks at or below the head and verifies the rest.
 */
public interface BlockImporter {
  /** How many blocks were committed, and VALID or why the first refused block was refused (the rest skipped). */
  record ImportResult(int committed, Validation outcome) {}

  CompletableFuture<ImportResult> importFinalized(List<FinalizedBlock> blocks);
}
