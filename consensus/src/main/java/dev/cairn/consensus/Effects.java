package dev.cairn.consensus;

import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Validation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the caller must do after one step, in this order: write {@code persist} durably (own signed messages
 * and lock) BEFORE sending anything; then broadcast; then set timers, build or validate blocks, store the
 * finalized block (and then start the next height with a NewHeight input); report evidence. {@code rejected}
 * lists why untrusted input was refused, for metrics and DEBUG logs.
 */
public record Effects(
    Optional<PersistedState> persist,
    List<ConsensusMessage> broadcast,
    List<TimerRequest> timers,
    Optional<BuildBlock> buildBlock,
    List<Block> validate,
    Optional<FinalizedBlock> finalized,
    List<Evidence> evidence,
    List<Validation.Invalid> rejected) {

  public Effects {
    broadcast = List.copyOf(broadcast);
    timers = List.copyOf(timers);
    validate = List.copyOf(validate);
    evidence = List.copyOf(evidence);
    rejected = List.copyOf(rejected);
  }

  public static final Effects NONE =
      new Effects(Optional.empty(), List.of(), List.of(), Optional.empty(), List.of(), Optional.empty(), List.of(), List.of());

  /**
   * Fire {@code TimerFired(this)} after {@code delayMillis}. Older timers need not be cancelled: only the
   * latest request ({@code sequence}) counts, the engine ignores the others.
   */
  public record TimerRequest(long height, int round, long sequence, long delayMillis) {}

  /** Build a candidate block for (height, round) from the mempool and answer with CandidateReady. */
  public record BuildBlock(long height, int round) {}

  /** Collects effects during one step. */
  static final class Builder {
    final List<ConsensusMessage> broadcast = new ArrayList<>();
    final List<TimerRequest> timers = new ArrayList<>();
    Optional<BuildBlock> buildBlock = Optional.empty();
    final List<Block> validate = new ArrayList<>();
    Optional<FinalizedBlock> finalized = Optional.empty();
    final List<Evidence> evidence = new ArrayList<>();
    final List<Validation.Invalid> rejected = new ArrayList<>();

    void reject(Validation validation) {
      if (validation instanceof Validation.Invalid invalid) {
        rejected.add(invalid);
      }
    }

    Effects build(Optional<PersistedState> persist) {
      return new Effects(persist, broadcast, timers, buildBlock, validate, finalized, evidence, rejected);
    }
  }
}
