package dev.cairn.ledger.execution;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.model.Transaction;
import java.util.List;

/**
 * Verifies a transaction's signature. The node passes one backed by its signature cache, so a transaction
 * verified at mempool admission costs nothing when its block is built or validated. Must be thread-safe:
 * a large block's signatures are checked on several threads at once.
 */
public interface SignatureCheck {
  boolean verify(Hash txId, Transaction tx);

  /**
   * Verifies these transactions' signatures together before {@link #verify} is asked about each of them
   * (batch verification costs about half as much per signature), so that those calls find them checked. A
   * check without a memory has nothing to keep the verdicts in and does nothing here. Verdicts never depend
   * on this having run: a signature found bad here is checked again by {@code verify}.
   */
  default void preverify(List<Hash> txIds, List<Transaction> txs) {}

  /** Verifies every signature, remembering nothing (about 100 microseconds each). */
  SignatureCheck VERIFY_EACH = (txId, tx) -> tx.hasValidSignature();
}
