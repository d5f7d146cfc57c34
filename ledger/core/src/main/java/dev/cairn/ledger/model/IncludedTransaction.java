package dev.cairn.ledger.model;

import dev.cairn.ledger.bytes.Hash;
import java.util.Objects;

/**
 * A finalized transaction, its receipt and its position: block {@code blockHeight}, index {@code index}. What
 * the chain store answers for a transaction id and what JSON-RPC serves as a receipt.
 */
public record IncludedTransaction(Transaction transaction, Receipt receipt, long blockHeight, Hash blockHash, int index) {
  public IncludedTransaction {
    Objects.requireNonNull(transaction, "transaction");
    Objects.requireNonNull(receipt, "receipt");
    Objects.requireNonNull(blockHash, "blockHash");
    if (blockHeight < 0 || index < 0) {
      throw new IllegalArgumentException("blockHeight and index must be non-negative");
    }
  }
}
