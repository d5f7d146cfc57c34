package dev.cairn.network;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.mempool.Admission;
import dev.cairn.p2p.gossip.ValidationResult;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batch of transactions gossiped by a peer, its signatures verified together and then its transactions
 * admitted one by one through the same mempool admission as a transaction from JSON-RPC, and the gossip
 * verdict on the batch: REJECT if the batch is malformed or holds a transaction invalid in itself
 * (malformed, wrong chain, bad signature; the peer should never have relayed it, so the rest is not
 * admitted), ACCEPT if at least one transaction was admitted, otherwise IGNORE (every
 * transaction was refused only for the state or pool it met here: duplicate, nonce, balance, pool full,
 * which another node may see differently). The proposer is woken once per batch.
 *
 * <p>Runs on the tx-admission thread, never on the gossip router thread.
 */
final class TransactionBatchAdmission {
  private static final Logger log = LoggerFactory.getLogger(TransactionBatchAdmission.class);

  private final BiFunction<List<Bytes>, Predicate<Admission>, List<Admission>> mempool;
  private final Runnable wakeProposer;

  /**
   * @param mempool admits a batch's transactions in order against the current head (their signatures verified
   *     together first), stopping after the first answer the predicate accepts
   * @param wakeProposer tells the block producer that transactions arrived
   */
  TransactionBatchAdmission(BiFunction<List<Bytes>, Predicate<Admission>, List<Admission>> mempool, Runnable wakeProposer) {
    this.mempool = Objects.requireNonNull(mempool, "mempool");
    this.wakeProposer = Objects.requireNonNull(wakeProposer, "wakeProposer");
  }

  ValidationResult admit(byte[] batch) {
    switch (TransactionBatchCodec.decode(batch)) {
      case TransactionBatchCodec.Decoding.Malformed malformed -> {
        log.debug("tx batch rejected reason={} detail=\"{}\"", malformed.reason(), malformed.detail());
        return ValidationResult.REJECT;
      }
      case TransactionBatchCodec.Decoding.Decoded decoded -> {
        int accepted = 0;
        ValidationResult result = ValidationResult.IGNORE;
        List<Admission> answers = mempool.apply(decoded.transactions(), answer -> verdict(answer) == ValidationResult.REJECT);
        for (Admission answer : answers) {
          ValidationResult one = verdict(answer);
          if (one == ValidationResult.REJECT) {
            result = ValidationResult.REJECT;
            break;
          }
          if (one == ValidationResult.ACCEPT) {
            accepted++;
          }
        }
        if (accepted > 0) {
          wakeProposer.run();
        }
        return result == ValidationResult.REJECT ? result : accepted > 0 ? ValidationResult.ACCEPT : ValidationResult.IGNORE;
      }
    }
  }

  /** The gossip verdict for one transaction's mempool answer: see the class comment. */
  static ValidationResult verdict(Admission admission) {
    return switch (admission) {
      case Admission.Accepted accepted -> ValidationResult.ACCEPT;
      case Admission.Rejected rejected -> switch (rejected.reason()) {
        case MALFORMED, WRONG_CHAIN_ID, BAD_SIGNATURE -> ValidationResult.REJECT;
        case NOT_A_MEMBER, NONCE_TOO_LOW, NONCE_GAP_TOO_LARGE, NONCE_ALREADY_PENDING, DUPLICATE,
            INSUFFICIENT_BALANCE, MEMPOOL_FULL, SENDER_LIMIT -> ValidationResult.IGNORE;
      };
    };
  }
}
