package dev.cairn.ledger.model;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One finalized transaction in an account's history: the transaction with its receipt and position, the
 * time of its block, and how the account takes part in it. Failed transactions are listed too (they are
 * included and consume the sender's nonce); the receipt says which.
 */
public record AccountActivity(IncludedTransaction included, long blockTimestampMillis, Set<TxParty> parties) {
  public AccountActivity {
    Objects.requireNonNull(included, "included");
    if (parties.isEmpty()) {
      throw new IllegalArgumentException("an account's activity names at least one way it takes part");
    }
    parties = java.util.Collections.unmodifiableSet(EnumSet.copyOf(parties));
  }

  public TxPosition position() {
    return new TxPosition(included.blockHeight(), included.index());
  }
}
