package dev.cairn.consensus;

/**
 * The engine's limits and timeouts, validated once at construction.
 *
 * @param roundTimeoutBaseMillis timeout of round 0; round r waits base * 2^r
 * @param roundTimeoutMaxMillis cap on any round's timeout, so that a network that lost quorum for hours
 *     recovers within one capped timeout once quorum is back
 * @param futureHeightsMax messages up to this many heights ahead are buffered, further ones dropped
 * @param futureRoundsMax messages more than this many rounds ahead of ours are dropped
 * @param futureMessagesPerSenderMax buffered future-height messages kept per author
 * @param roundsRetainedMax message logs of rounds this far below the current round are pruned
 */
public record ConsensusConfig(
    long roundTimeoutBaseMillis,
    long roundTimeoutMaxMillis,
    int futureHeightsMax,
    int futureRoundsMax,
    int futureMessagesPerSenderMax,
    int roundsRetainedMax) {

  public ConsensusConfig {
    if (roundTimeoutBaseMillis <= 0 || roundTimeoutMaxMillis < roundTimeoutBaseMillis) {
      throw new IllegalArgumentException(
          "need 0 < roundTimeoutBaseMillis <= roundTimeoutMaxMillis, got "
              + roundTimeoutBaseMillis + ", " + roundTimeoutMaxMillis);
    }
    if (futureHeightsMax < 1 || futureRoundsMax < 1 || futureMessagesPerSenderMax < 1 || roundsRetainedMax < 1) {
      throw new IllegalArgumentException("message windows and buffers must be at least 1");
    }
  }

  /** Defaults for a production network: 2 s base, one minute cap. */
  public static ConsensusConfig defaults() {
    return new ConsensusConfig(2_000, 60_000, 8, 64, 64, 16);
  }

  public ConsensusConfig withTimeouts(long baseMillis, long maxMillis) {
    return new ConsensusConfig(
        baseMillis, maxMillis, futureHeightsMax, futureRoundsMax, futureMessagesPerSenderMax, roundsRetainedMax);
  }

  /** base * 2^round, capped; computed without overflow for any round. */
  public long roundTimeoutMillis(int round) {
    if (round < 0) {
      throw new IllegalArgumentException("negative round " + round);
    }
    long timeout = roundTimeoutBaseMillis;
    for (int i = 0; i < round && timeout < roundTimeoutMaxMillis; i++) {
      timeout *= 2;
    }
    return Math.min(timeout, roundTimeoutMaxMillis);
  }
}
