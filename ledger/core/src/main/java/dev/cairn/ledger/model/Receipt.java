package dev.cairn.ledger.model;

import dev.cairn.ledger.bytes.Hash;
import java.util.Objects;

/** The result of one transaction in a block. */
public record Receipt(Hash txId, ReceiptCode code) {
  public Receipt {
    Objects.requireNonNull(txId, "txId");
    Objects.requireNonNull(code, "code");
  }

  public boolean isSuccess() {
    return code.isSuccess();
  }
}
