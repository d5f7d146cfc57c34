package dev.cairn.ledger.model;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import dev.cairn.ledger.crypto.PublicKey;
import java.util.Objects;

/**
 * A block header. {@code validatorSetHash} commits to the validators that finalize THIS block (the set in
 * force at this height); {@code stateRoot} is the state after executing this block's transactions.
 */
public record BlockHeader(
    long height,
    Hash parentHash,
    long timestampMillis,
    PublicKey proposer,
    int round,
    Hash txRoot,
    Hash receiptsRoot,
    Hash stateRoot,
    Hash validatorSetHash) {

  public BlockHeader {
    Objects.requireNonNull(parentHash, "parentHash");
    Objects.requireNonNull(proposer, "proposer");
    Objects.requireNonNull(txRoot, "txRoot");
    Objects.requireNonNull(receiptsRoot, "receiptsRoot");
    Objects.requireNonNull(stateRoot, "stateRoot");
    Objects.requireNonNull(validatorSetHash, "validatorSetHash");
    if (height < 0 || timestampMillis < 0 || round < 0) {
      throw new IllegalArgumentException("height, timestamp and round must be non-negative");
    }
  }

  public Hash hash() {
    return Hashing.hash(DomainTag.BLOCK_HEADER, CanonicalForm.header(this));
  }
}
