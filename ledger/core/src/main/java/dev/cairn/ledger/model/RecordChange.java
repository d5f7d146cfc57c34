package dev.cairn.ledger.model;

import dev.cairn.ledger.bytes.Bytes;
import java.util.Objects;

/**
 * One value a record took: the successful {@code record_put} that wrote it, with its receipt, position and
 * block time. A put that failed (its sender lacked the member role) changed nothing and is not a change.
 */
public record RecordChange(IncludedTransaction included, long blockTimestampMillis) {
  public RecordChange {
    Objects.requireNonNull(included, "included");
    if (!(included.transaction().payload() instanceof Payload.RecordPut)) {
      throw new IllegalArgumentException("a record change is a record_put, not a " + included.transaction().payload().kind());
    }
    if (!included.receipt().isSuccess()) {
      throw new IllegalArgumentException("a failed record_put changed nothing");
    }
  }

  public Payload.RecordPut put() {
    return (Payload.RecordPut) included.transaction().payload();
  }

  public Bytes value() {
    return put().value();
  }

  public TxPosition position() {
    return new TxPosition(included.blockHeight(), included.index());
  }
}
