package dev.cairn.ledger.execution;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.model.Transaction;

/**
 * Verifies a transaction's signature. The node passes one backed by its signature cache, so a transaction
 * verified at mempool admission costs nothing when its block is built or validated. Must be thread-safe:
 * a large block's signatures are checked on several threads at once.
 */
@FunctionalInterface
public interface SignatureCheck {
  boolean verify(Hash txId, Transaction tx);

  /** Verifies every signature, remembering nothing (about 100 microseconds each). */
  SignatureCheck VERIFY_EACH = (txId, tx) -> tx.hasValidSignature();
}
