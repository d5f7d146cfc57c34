package dev.cairn.node.rpc;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.store.ChainStore;
import dev.cairn.mempool.Admission;
import dev.cairn.mempool.Mempool;
import dev.cairn.rpc.TransactionSubmitter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Submission from JSON-RPC: the same mempool admission a transaction from a peer goes through, against the
 * committed head state. An admitted transaction is handed to {@code onAdmitted} (wake the proposer, relay to
 * peers).
 *
 * <p>A batch's transactions are decoded (and hashed) once: {@link #prepare} decodes them for the batched
 * signature check and keeps the decodings, on the calling thread, for the {@link #submit} calls of the same
 * batch that follow on it; {@link #release} drops what the batch did not use. A submit finds its decoding by
 * the transaction's bytes, and decoding is a function of the bytes alone, so a submit answers exactly what it
 * would have answered after decoding the bytes itself.
 */
public final class MempoolSubmitter implements TransactionSubmitter {
  private final Mempool mempool;
  private final ChainStore store;
  private final BiConsumer<Hash, Bytes> onAdmitted;
  /** The current batch's decodings not yet submitted, per RPC thread (a batch runs on one thread). */
  private final ThreadLocal<Map<Bytes, Mempool.Decoding>> prepared = new ThreadLocal<>();

  public MempoolSubmitter(Mempool mempool, ChainStore store, BiConsumer<Hash, Bytes> onAdmitted) {
    this.mempool = mempool;
    this.store = store;
    this.onAdmitted = onAdmitted;
  }

  @Override
  public void prepare(List<Bytes> encodedTransactions) {
    Map<Bytes, Mempool.Decoding> batch = new HashMap<>();
    List<Mempool.Decoding> decodings = new ArrayList<>(encodedTransactions.size());
    for (Bytes encoded : encodedTransactions) {
      decodings.add(batch.computeIfAbsent(encoded, mempool::decode));
    }
    mempool.preverifyDecoded(decodings);
    prepared.set(batch);
  }

  @Override
  public void release() {
    prepared.remove();
  }

  @Override
  public Submission submit(Bytes encodedTransaction) {
    Map<Bytes, Mempool.Decoding> batch = prepared.get();
    Mempool.Decoding decoding = batch == null ? null : batch.remove(encodedTransaction);
    if (decoding == null) {
      decoding = mempool.decode(encodedTransaction);
    }
    return switch (mempool.admit(decoding, store.state())) {
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
