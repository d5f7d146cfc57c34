package dev.cairn.rpc;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.Transaction;
import java.util.Objects;

/** A finalized transaction, its receipt and its position: block {@code blockHeight}, index {@code index}. */
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
