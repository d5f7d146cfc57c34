package dev.cairn.consensus.driver;

/**
 * The driver's own settings, validated once.
 *
 * @param blockPeriodMillis a proposer builds no earlier than its parent's timestamp plus this
 * @param emptyBlocks whether to produce blocks without transactions (heights then start at once)
 * @param unreachableProposerTimeoutMillis the longest a round waits for a proposal when its proposer has no
 *     connection to this node (a crashed validator); the engine's own timeout applies otherwise
 */
public record DriverConfig(long blockPeriodMillis, boolean emptyBlocks, long unreachableProposerTimeoutMillis) {
  public DriverConfig {
    if (blockPeriodMillis < 1 || unreachableProposerTimeoutMillis < 1) {
      throw new IllegalArgumentException("need blockPeriodMillis >= 1 and unreachableProposerTimeoutMillis >= 1");
    }
  }

  /** Waits for an unreachable proposer as long as for any other (the engine's timeouts only). */
  public DriverConfig(long blockPeriodMillis, boolean emptyBlocks) {
    this(blockPeriodMillis, emptyBlocks, Long.MAX_VALUE);
  }
}
