package dev.cairn.consensus;

import dev.cairn.consensus.message.MessageCodec;

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
 * @param futureBytesPerSenderMax encoded bytes of buffered future-height messages kept per author; must hold
 *     at least one message of the largest size ({@link MessageCodec#messageBytesMax} of the chain's block
 *     limit), so that a proposer ahead of us can always be heard
 */
public record ConsensusConfig(
    long roundTimeoutBaseMillis,
    long roundTimeoutMaxMillis,
    int futureHeightsMax,
    int futureRoundsMax,
    int futureMessagesPerSenderMax,
    int roundsRetainedMax,
    long futureBytesPerSenderMax) {

  public ConsensusConfig {
    if (roundTimeoutBaseMillis <= 0 || roundTimeoutMaxMillis < roundTimeoutBaseMillis) {
      throw new IllegalArgumentException(
          "need 0 < roundTimeoutBaseMillis <= roundTimeoutMaxMillis, got "
              + roundTimeoutBaseMillis + ", " + roundTimeoutMaxMillis);
    }
    if (futureHeightsMax < 1 || futureRoundsMax < 1 || futureMessagesPerSenderMax < 1 || roundsRetainedMax < 1) {
      throw new IllegalArgumentException("message windows and buffers must be at least 1");
    }
    if (futureBytesPerSenderMax < MessageCodec.SIGNED_COMMIT_BYTES) {
      throw new IllegalArgumentException("futureBytesPerSenderMax must hold a vote, got " + futureBytesPerSenderMax);
    }
  }

  /** Per-author future bytes for a chain whose blocks are at most {@code blockBytesMax}: two of the largest messages. */
  public static long futureBytesPerSenderMaxFor(int blockBytesMax) {
    return 2L * MessageCodec.messageBytesMax(blockBytesMax);
  }

  /** The block limit the default future buffer is sized for (genesis' default); see {@link #withBlockBytesMax}. */
  static final int DEFAULT_BLOCK_BYTES_MAX = 8 * 1024 * 1024;

  /** Defaults for a production network: 2 s base, one minute cap. */
  public static ConsensusConfig defaults() {
    return new ConsensusConfig(2_000, 60_000, 8, 64, 64, 16, futureBytesPerSenderMaxFor(DEFAULT_BLOCK_BYTES_MAX));
  }

  public ConsensusConfig withTimeouts(long baseMillis, long maxMillis) {
    return new ConsensusConfig(
        baseMillis, maxMillis, futureHeightsMax, futureRoundsMax, futureMessagesPerSenderMax, roundsRetainedMax,
        futureBytesPerSenderMax);
  }

  /** Sizes the future buffer for a chain whose blocks are at most {@code blockBytesMax} encoded bytes. */
  public ConsensusConfig withBlockBytesMax(int blockBytesMax) {
    return withFutureBytesPerSenderMax(futureBytesPerSenderMaxFor(blockBytesMax));
  }

  public ConsensusConfig withFutureBytesPerSenderMax(long bytesMax) {
    return new ConsensusConfig(roundTimeoutBaseMillis, roundTimeoutMaxMillis, futureHeightsMax, futureRoundsMax,
        futureMessagesPerSenderMax, roundsRetainedMax, bytesMax);
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
