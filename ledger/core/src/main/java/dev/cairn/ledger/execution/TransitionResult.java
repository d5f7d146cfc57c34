package dev.cairn.ledger.execution;

import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.StateChanges;
import java.util.List;
import java.util.Objects;

/**
 * What executing a block's transactions did: one receipt per transaction in order, the sorted state writes,
 * and the validator set in force from the next height (equal to the current one unless a vote passed).
 */
public record TransitionResult(List<Receipt> receipts, StateChanges changes, ValidatorSet nextValidators) {
  public TransitionResult {
    receipts = List.copyOf(receipts);
    Objects.requireNonNull(changes, "changes");
    Objects.requireNonNull(nextValidators, "nextValidators");
  }
}
