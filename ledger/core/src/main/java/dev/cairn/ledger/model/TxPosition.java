package dev.cairn.ledger.model;

/**
 * Where a finalized transaction sits in the chain: block height, then index in the block. Ordered as the
 * chain is (height first), which is the order of every history index; a history cursor is one.
 */
public record TxPosition(long height, int index) implements Comparable<TxPosition> {
  public TxPosition {
    if (height < 0) {
      throw new IllegalArgumentException("height must be non-negative, got " + height);
    }
    if (index < 0 || index >= Limits.BLOCK_TXS_MAX) {
      throw new IllegalArgumentException("index must be 0.." + (Limits.BLOCK_TXS_MAX - 1) + ", got " + index);
    }
  }

  @Override
  public int compareTo(TxPosition other) {
    int byHeight = Long.compare(height, other.height);
    return byHeight != 0 ? byHeight : Integer.compare(index, other.index);
  }
}
