package dev.cairn.consensus;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.model.ValidatorSet;

/** What a message at one height is checked against: the height, its parent and its validator set. */
public record HeightContext(long height, Hash parentHash, ValidatorSet validators, Hash validatorSetHash) {
  public static HeightContext of(long height, Hash parentHash, ValidatorSet validators) {
    return new HeightContext(height, parentHash, validators, validators.hash());
  }
}
