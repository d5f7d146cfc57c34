package dev.cairn.ledger.execution;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.model.Transaction;
import java.util.Objects;

/**
 * A transaction offered to the block builder together with its id and the size of its canonical encoding.
 * The mempool already holds both (it decoded the transaction from those bytes and hashed them at
 * admission), so handing them over saves the builder one encode and one SHA-256 per transaction.
 *
 * <p>The builder trusts {@code id} and {@code encodedBytes} to belong to {@code tx}: only the node's own
 * mempool (or {@link #of}) makes candidates. A wrong id would give a tx root that every other validator
 * rejects, so it cannot corrupt the chain, only lose this node's proposal.
 */
public record Candidate(Transaction tx, Hash id, int encodedBytes) {
  public Candidate {
    Objects.requireNonNull(tx, "tx");
    Objects.requireNonNull(id, "id");
    if (encodedBytes < 1) {
      throw new IllegalArgumentException("encodedBytes must be positive");
    }
  }

  /** Computes the id and size (one encode and one hash): for callers that hold only the transaction. */
  public static Candidate of(Transaction tx) {
    Bytes encoded = TransactionCodec.encode(tx);
    return new Candidate(tx, TransactionCodec.id(encoded), encoded.size());
  }
}
