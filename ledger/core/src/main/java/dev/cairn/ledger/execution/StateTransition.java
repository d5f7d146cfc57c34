package dev.cairn.ledger.execution;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.StateReader;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger's state transition: a pure, deterministic function from (parent state, validator set of this
 * height, transactions) to (receipts, state changes, next validator set). No I/O beyond reading
 * {@code parentState}, no clock, no randomness: every node computes the same result bit for bit.
 *
 * <p>Preconditions, checked by {@link BlockExecutor} before calling: every transaction carries the right
 * chain id and a valid signature, and each sender's nonces run consecutively from its account nonce. A
 * nonce that does not match fails with {@link IllegalStateException}: such a block is invalid, never
 * executed. The rules themselves are described in docs/state-transition.md.
 */
public final class StateTransition {
  private StateTransition() {}

  public static TransitionResult apply(StateReader parentState, ValidatorSet validators, List<Transaction> txs) {
    List<Hash> ids = new ArrayList<>(txs.size());
    for (Transaction tx : txs) {
      ids.add(tx.id());
    }
    return apply(parentState, validators, txs, ids);
  }

  /** As {@link #apply(StateReader, ValidatorSet, List)}, with the transaction ids already computed. */
  public static TransitionResult apply(
      StateReader parentState, ValidatorSet validators, List<Transaction> txs, List<Hash> txIds) {
    if (txIds.size() != txs.size()) {
      throw new IllegalArgumentException(txs.size() + " transactions but " + txIds.size() + " ids");
    }
    BlockExecution execution = new BlockExecution(parentState, validators, txs.size());
    for (int i = 0; i < txs.size(); i++) {
      execution.execute(txs.get(i), txIds.get(i));
    }
    return execution.finish();
  }
}
