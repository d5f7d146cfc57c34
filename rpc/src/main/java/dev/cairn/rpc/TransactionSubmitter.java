package dev.cairn.rpc;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import java.util.List;
import java.util.Objects;

/** Hands a signed transaction (its canonical bytes) to the node's mempool. */
public interface TransactionSubmitter {
  Submission submit(Bytes encodedTransaction);

  /**
   * Called with the transactions of one JSON-RPC batch before they are submitted one by one, so the node
   * can do per-batch work once (it verifies their signatures together). Answers nothing: each transaction
   * still gets its own {@link #submit} verdict.
   */
  default void prepare(List<Bytes> encodedTransactions) {}

  /**
   * Called on the same thread once the batch {@link #prepare} was called for has run (some of its calls may
   * not have): drop whatever was kept for its submits.
   */
  default void release() {}

  /** The mempool's answer: accepted with the tx id, or rejected with a reason and a one-line detail. */
  sealed interface Submission {
    record Accepted(Hash txId) implements Submission {
      public Accepted {
        Objects.requireNonNull(txId, "txId");
      }
    }

    record Rejected(RejectionReason reason, String detail) implements Submission {
      public Rejected {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
      }
    }
  }

  /**
   * Why the mempool refused a transaction, each mapped to one JSON-RPC application error code. The RPC must not
   * depend on the node, so the node maps each of its admission reasons to one of these in an exhaustive
   * {@code switch} (a new admission reason does not compile until it is mapped).
   */
  enum RejectionReason {
    MALFORMED,
    WRONG_CHAIN_ID,
    BAD_SIGNATURE,
    NOT_A_MEMBER,
    NONCE_TOO_LOW,
    NONCE_GAP_TOO_LARGE,
    NONCE_ALREADY_PENDING,
    DUPLICATE,
    INSUFFICIENT_BALANCE,
    MEMPOOL_FULL,
    SENDER_LIMIT
  }
}
