package dev.cairn.ledger.execution;

import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.StateChanges;
import dev.cairn.ledger.state.TreeUpdate;
import java.util.List;
import java.util.Objects;

/**
 * A block executed against its parent state: its receipts (one per transaction, in order), the state writes
 * it makes, the tree nodes those writes create (whose root equals the header's state root) and the validator
 * set in force from the next height. Everything the chain store needs to commit the block atomically once a
 * certificate makes it final.
 */
public record ExecutedBlock(
    Block block, List<Receipt> receipts, StateChanges stateChanges, TreeUpdate treeUpdate, ValidatorSet nextValidators) {
  public ExecutedBlock {
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(stateChanges, "stateChanges");
    Objects.requireNonNull(treeUpdate, "treeUpdate");
    Objects.requireNonNull(nextValidators, "nextValidators");
    receipts = List.copyOf(receipts);
    if (receipts.size() != block.transactions().size()) {
      throw new IllegalArgumentException(
          "block has " + block.transactions().size() + " transactions but " + receipts.size() + " receipts");
    }
    if (!treeUpdate.root().equals(block.header().stateRoot())) {
      throw new IllegalArgumentException("tree root does not match the header's state root");
    }
  }

  public long height() {
    return block.height();
  }
}
