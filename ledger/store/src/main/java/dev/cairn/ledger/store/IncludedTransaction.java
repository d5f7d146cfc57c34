package dev.cairn.ledger.store;

import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.Transaction;
import java.util.Objects;

/** A committed transaction with its receipt and location: what a receipt query answers. */
public record IncludedTransaction(Transaction transaction, Receipt receipt, TxLocation location) {
  public IncludedTransaction {
    Objects.requireNonNull(transaction, "transaction");
    Objects.requireNonNull(receipt, "receipt");
    Objects.requireNonNull(location, "location");
  }
}
