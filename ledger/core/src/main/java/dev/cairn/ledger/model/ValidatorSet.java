package dev.cairn.ledger.model;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import dev.cairn.ledger.crypto.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The validators of one height, sorted by public key (the canonical order that proposer rotation and the
 * set's hash use). Quorum is ceil(2n/3), which tolerates f = floor((n-1)/3) Byzantine validators: any two
 * quorums intersect in at least f+1 validators, so in at least one honest one.
 */
public record ValidatorSet(List<PublicKey> validators) {
  public ValidatorSet {
    Objects.requireNonNull(validators, "validators");
    if (validators.isEmpty()) {
      throw new IllegalArgumentException("a validator set needs at least one validator");
    }
    if (validators.size() > Limits.VALIDATORS_MAX) {
      throw new IllegalArgumentException("at most " + Limits.VALIDATORS_MAX + " validators");
    }
    List<PublicKey> sorted = new ArrayList<>(validators);
    sorted.sort(null);
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).equals(sorted.get(i - 1))) {
        throw new IllegalArgumentException("duplicate validator " + sorted.get(i));
      }
    }
    validators = List.copyOf(sorted);
  }

  public int size() {
    return validators.size();
  }

  /** ceil(2n/3). */
  public int quorum() {
    return quorum(validators.size());
  }

  public static int quorum(int n) {
    return (2 * n + 2) / 3;
  }

  /** floor((n-1)/3): how many Byzantine validators the set tolerates. */
  public int maxFaulty() {
    return (validators.size() - 1) / 3;
  }

  public boolean contains(PublicKey key) {
    return indexOf(key) >= 0;
  }

  public int indexOf(PublicKey key) {
    return java.util.Collections.binarySearch(validators, key);
  }

  /** Round-robin proposer: the rotation advances with both height and round. */
  public PublicKey proposer(long height, int round) {
    int n = validators.size();
    return validators.get((int) Math.floorMod(height + round, (long) n));
  }

  public Hash hash() {
    return Hashing.hash(DomainTag.VALIDATOR_SET, CanonicalForm.validatorSet(this));
  }

  public ValidatorSet with(PublicKey key) {
    List<PublicKey> next = new ArrayList<>(validators);
    next.add(key);
    return new ValidatorSet(next);
  }

  public ValidatorSet without(PublicKey key) {
    List<PublicKey> next = new ArrayList<>(validators);
    next.remove(key);
    return new ValidatorSet(next);
  }
}
