package dev.cairn.ledger.store;

import dev.cairn.ledger.bytes.Hash;
import java.util.Objects;

/** The last committed block: its height, hash and the state root after it. */
public record ChainHead(long height, Hash hash, Hash stateRoot) {
  public ChainHead {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(stateRoot, "stateRoot");
    if (height < 0) {
      throw new IllegalArgumentException("height must be non-negative");
    }
  }
}
