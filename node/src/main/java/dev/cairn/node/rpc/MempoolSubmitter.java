package dev.cairn.node.rpc;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.store.ChainStore;
import dev.cairn.mempool.Admission;
import dev.cairn.mempool.Mempool;
import dev.cairn.rpc.TransactionSubmitter;
import java.util.List;
import java.util.function.BiConsumer;
import dev.cairn.ledger.bytes.Hash;

/**
 * Submission from JSON-RPC: the same mempool admission a transaction from a peer goes through, against the
 * committed head state. An admitted transaction is handed to {@code onAdmitted} (wake the proposer, relay to
 * peers).
 */
public final class MempoolSubmitter implements TransactionSubmitter {
  private final Mempool mempool;
  private final ChainStore store;
  private final BiConsumer<Hash, Bytes> onAdmitted;

  public MempoolSubmitter(Mempool mempool, ChainStore store, BiConsumer<Hash, Bytes> onAdmitted) {
    this.mempool = mempool;
    this.store = store;
    this.onAdmitted = onAdmitted;
  }

  @Override
  public void prepare(List<Bytes> encodedTransactions) {
    mempool.preverify(encodedTransactions);
  }

  @Override
  public Submission submit(Bytes encodedTransaction) {
    return switch (mempool.admit(encodedTransaction, store.state())) {
      case Admission.Accepted accepted -> {
        onAdmitted.accept(accepted.txId(), encodedTransaction);
        yield new Submission.Accepted(accepted.txId());
      }
      case Admission.Rejected rejected -> new Submission.Rejected(rpcReason(rejected.reason()), rejected.detail());
    };
  }

  /** One case per admission reason: a reason added to the mempool does not compile until it is mapped here. */
  static RejectionReason rpcReason(Admission.Reason reason) {
    return switch (reason) {
      case MALFORMED -> RejectionReason.MALFORMED;
      case WRONG_CHAIN_ID -> RejectionReason.WRONG_CHAIN_ID;
      case BAD_SIGNATURE -> RejectionReason.BAD_SIGNATURE;
      case NOT_A_MEMBER -> RejectionReason.NOT_A_MEMBER;
      case NONCE_TOO_LOW -> RejectionReason.NONCE_TOO_LOW;
      case NONCE_GAP_TOO_LARGE -> RejectionReason.NONCE_GAP_TOO_LARGE;
      case NONCE_ALREADY_PENDING -> RejectionReason.NONCE_ALREADY_PENDING;
      case DUPLICATE -> RejectionReason.DUPLICATE;
      case INSUFFICIENT_BALANCE -> RejectionReason.INSUFFICIENT_BALANCE;
      case MEMPOOL_FULL -> RejectionReason.MEMPOOL_FULL;
      case SENDER_LIMIT -> RejectionReason.SENDER_LIMIT;
    };
  }
}
