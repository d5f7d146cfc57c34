package dev.cairn.network.ports;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.mempool.Admission;
import java.util.List;

/** Mempool admission of gossiped transactions, against the current head. */
public interface TransactionAdmission {
  /** Verifies a batch's signatures together (and remembers them) before its transactions are admitted one by one. */
  void preverify(List<Bytes> encoded);

  Admission admit(Bytes encoded);
}
