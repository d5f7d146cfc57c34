package dev.cairn.metrics;

import java.util.Map;

/**
 * What the metrics read from the consensus thread's wrapper when scraped: whether it halted, what its engine
 * refused, and what its bounded inbox dropped. Each read is a field or a counter; none waits for the thread.
 */
public interface ConsensusHealth {
  /** Why the consensus thread stopped (a broken invariant, a failed write), or null while it runs. */
  Throwable failure();

  /** Consensus messages and events the engine refused, by reason. */
  Map<String, Long> rejectionCounts();

  /** Peers' consensus messages dropped because the inbox was full, votes included. */
  long droppedPeerMessages();

  /** Peers' votes dropped because their lane of the inbox was full. */
  long droppedConsensusVotes();
}
