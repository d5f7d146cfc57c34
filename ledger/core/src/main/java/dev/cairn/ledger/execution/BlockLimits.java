package dev.cairn.ledger.execution;

import dev.cairn.ledger.model.Limits;

/**
 * The consensus limits on one block (from genesis): at most {@code txsMax} transactions and at most
 * {@code bytesMax} bytes of canonical block encoding. Tighter than the codec's hard {@link Limits}.
 */
public record BlockLimits(int txsMax, long bytesMax) {
  public BlockLimits {
    if (txsMax < 0 || txsMax > Limits.BLOCK_TXS_MAX) {
      throw new IllegalArgumentException("txsMax must be in 0.." + Limits.BLOCK_TXS_MAX + ", got " + txsMax);
    }
    if (bytesMax < 1 || bytesMax > Limits.BLOCK_BYTES_MAX) {
      throw new IllegalArgumentException("bytesMax must be in 1.." + Limits.BLOCK_BYTES_MAX + ", got " + bytesMax);
    }
  }

  /** The codec's hard limits: for tests and tools that want no tighter bound. */
  public static final BlockLimits CODEC_MAX = new BlockLimits(Limits.BLOCK_TXS_MAX, Limits.BLOCK_BYTES_MAX);
}
