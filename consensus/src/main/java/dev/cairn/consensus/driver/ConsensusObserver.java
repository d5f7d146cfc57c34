package dev.cairn.consensus.driver;

import dev.cairn.consensus.Evidence;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.ValidatorSet;

/**
 * What the consensus thread reports as it goes, for metrics. Called on that thread between two steps: an
 * implementation must be cheap (counters, a gauge, a histogram bucket) and must not throw or block.
 */
public interface ConsensusObserver {
  ConsensusObserver NONE = new ConsensusObserver() {};

  /** Why this node entered a round. */
  enum RoundStart {
    /** Round 0 of the next height, after a commit or an import. */
    NEW_HEIGHT,
    /** Round above 0 on start-up: the round this node had signed in before it stopped. */
    RESUMED,
    /** The round's timer fired with a quorum in the round and no decision: on to the next round. */
    TIMEOUT,
    /** Enough validators were seen in a higher round (f+1 of them) that this node joined them there. */
    PEERS_AHEAD
  }

  /** This node's engine entered {@code round} of {@code height} at {@code nowMillis} (wall clock). */
  default void roundStarted(long height, int round, RoundStart why, long nowMillis) {}

  /**
   * A block was finalized here: by this node's own consensus ({@code ownCommit}) or imported with its
   * certificate (sync, block gossip). {@code validators} is the set that finalized it.
   */
  default void finalized(FinalizedBlock block, ValidatorSet validators, boolean ownCommit, long nowMillis) {}

  /** A validator signed two different messages for the same height, round and kind. */
  default void equivocation(Evidence evidence) {}
}
