package dev.cairn.ledger.store;

import dev.cairn.ledger.bytes.Hash;
import java.util.Objects;

/** Where a committed transaction sits: its block's height and hash and its position in the block. */
public record TxLocation(long height, Hash blockHash, int position) {
  public TxLocation {
    Objects.requireNonNull(blockHash, "blockHash");
    if (height < 0 || position < 0) {
      throw new IllegalArgumentException("height and position must be non-negative");
    }
  }
}
