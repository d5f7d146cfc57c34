package dev.cairn.genesis;

import dev.cairn.ledger.model.Limits;
import java.util.Optional;

/**
 * The consensus parameters every validator of a chain must agree on, fixed at genesis and committed to by the
 * genesis hash (see {@link GenesisState#PARAMETERS}).
 *
 * @param blockPeriodMillis how long a proposer waits after its parent block's timestamp before proposing
 * @param roundTimeoutMillis timeout of round 0 of a height; each further round doubles it
 * @param roundTimeoutMillisMax cap on any round's timeout, so a network that lost quorum recovers within one
 *     capped timeout once quorum is back
 * @param blockTxsMax most transactions in one block
 * @param blockBytesMax most encoded bytes of one block
 * @param emptyBlocks whether a proposer proposes a block without transactions when its period elapsed; false
 *     keeps an idle chain from growing
 */
public record ConsensusParameters(
    long blockPeriodMillis,
    long roundTimeoutMillis,
    long roundTimeoutMillisMax,
    int blockTxsMax,
    int blockBytesMax,
    boolean emptyBlocks) {

  public static final long BLOCK_PERIOD_MILLIS_MIN = 10;
  public static final long BLOCK_PERIOD_MILLIS_MAX = 3_600_000;
  public static final long ROUND_TIMEOUT_MILLIS_MIN = 100;
  public static final long ROUND_TIMEOUT_MILLIS_MAX = 3_600_000;
  /** The cap itself may be as long as a day, never longer: a stalled network must come back within it. */
  public static final long ROUND_TIMEOUT_CAP_MILLIS_MAX = 86_400_000;
  public static final int BLOCK_TXS_MIN = 1;
  /** Room for the largest transaction plus the header and framing around it. */
  public static final int BLOCK_BYTES_MIN = 2 * Limits.TX_BYTES_MAX;

  /** Defaults of {@code cairn genesis new-network}: one block a second, 2 s first round, 1 min cap. */
  public static final ConsensusParameters DEFAULTS =
      new ConsensusParameters(1_000, 2_000, 60_000, 10_000, 8 * 1024 * 1024, true);

  public ConsensusParameters {
    Optional<FieldProblem> problem = check(
        blockPeriodMillis, roundTimeoutMillis, roundTimeoutMillisMax, blockTxsMax, blockBytesMax);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get().toString());
    }
  }

  /**
   * Checks ranges, then relations; the first problem names its field. The parser calls this before
   * constructing, so bad input from a file becomes a message rather than an exception.
   */
  public static Optional<FieldProblem> check(
      long blockPeriodMillis, long roundTimeoutMillis, long roundTimeoutMillisMax, long blockTxsMax, long blockBytesMax) {
    Optional<FieldProblem> range = inRange("blockPeriodMillis", blockPeriodMillis, BLOCK_PERIOD_MILLIS_MIN, BLOCK_PERIOD_MILLIS_MAX)
        .or(() -> inRange("roundTimeoutMillis", roundTimeoutMillis, ROUND_TIMEOUT_MILLIS_MIN, ROUND_TIMEOUT_MILLIS_MAX))
        .or(() -> inRange("roundTimeoutMillisMax", roundTimeoutMillisMax, ROUND_TIMEOUT_MILLIS_MIN, ROUND_TIMEOUT_CAP_MILLIS_MAX))
        .or(() -> inRange("blockTxsMax", blockTxsMax, BLOCK_TXS_MIN, Limits.BLOCK_TXS_MAX))
        .or(() -> inRange("blockBytesMax", blockBytesMax, BLOCK_BYTES_MIN, Limits.BLOCK_BYTES_MAX));
    if (range.isPresent()) {
      return range;
    }
    // A round that times out before its proposer may propose would never finish: the first round must
    // outlast the block period.
    if (roundTimeoutMillis <= blockPeriodMillis) {
      return Optional.of(new FieldProblem("roundTimeoutMillis",
          "must be greater than blockPeriodMillis (" + blockPeriodMillis + "), got " + roundTimeoutMillis));
    }
    if (roundTimeoutMillisMax < roundTimeoutMillis) {
      return Optional.of(new FieldProblem("roundTimeoutMillisMax",
          "must be at least roundTimeoutMillis (" + roundTimeoutMillis + "), got " + roundTimeoutMillisMax));
    }
    return Optional.empty();
  }

  private static Optional<FieldProblem> inRange(String field, long value, long min, long max) {
    if (value < min || value > max) {
      return Optional.of(new FieldProblem(field, "must be in [" + min + ", " + max + "], got " + value));
    }
    return Optional.empty();
  }
}
