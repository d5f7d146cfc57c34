package dev.cairn.network.ports;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.mempool.Admission;
import java.util.List;
import java.util.function.Predicate;

/** Mempool admission of gossiped transactions, against the current head. */
public interface TransactionAdmission {
  /**
   * Admits a gossiped batch in order (its signatures verified together first), stopping after the first
   * answer {@code stop} accepts; returns the answers given.
   */
  List<Admission> admitBatch(List<Bytes> encoded, Predicate<Admission> stop);
}
