package dev.cairn.ledger.model;

import dev.cairn.ledger.crypto.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The validators that voted for one pending validator-set change (add or remove one key), sorted by key and
 * unique so that a tally has one canonical encoding. Kept in state under {@code StateKeys.vote} until the
 * change applies; an empty tally is never stored (the key is deleted instead).
 */
public record VoteTally(List<PublicKey> voters) {
  public VoteTally {
    Objects.requireNonNull(voters, "voters");
    if (voters.isEmpty() || voters.size() > Limits.VALIDATORS_MAX) {
      throw new IllegalArgumentException("a vote tally has 1.." + Limits.VALIDATORS_MAX + " voters");
    }
    List<PublicKey> sorted = new ArrayList<>(voters);
    sorted.sort(null);
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).equals(sorted.get(i - 1))) {
        throw new IllegalArgumentException("duplicate voter " + sorted.get(i));
      }
    }
    voters = List.copyOf(sorted);
  }

  public boolean contains(PublicKey voter) {
    return java.util.Collections.binarySearch(voters, voter) >= 0;
  }

  /** How many of the voters are in {@code validators}: votes of keys that left the set do not count. */
  public int countIn(ValidatorSet validators) {
    int count = 0;
    for (PublicKey voter : voters) {
      if (validators.contains(voter)) {
        count++;
      }
    }
    return count;
  }
}
