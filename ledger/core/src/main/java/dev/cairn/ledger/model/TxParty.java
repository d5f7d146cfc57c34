package dev.cairn.ledger.model;

import dev.cairn.ledger.crypto.Address;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * How an account takes part in a transaction: what an account's history lists it under. A transaction touches
 * its sender, and the account its payload names (a transfer's recipient, the account given or stripped of a
 * role, the validator voted on, by the address of its key); one account may take part in several ways (a
 * transfer to oneself). Each party has a fixed bit in the store's index value, never renumbered.
 */
public enum TxParty {
  SENDER(0x01),
  RECIPIENT(0x02),
  ROLE_TARGET(0x04),
  VALIDATOR_TARGET(0x08);

  private final int bit;

  TxParty(int bit) {
    this.bit = bit;
  }

  public int bit() {
    return bit;
  }

  /** The accounts {@code tx} touches, the sender first, each with the ways it takes part. */
  public static Map<Address, Set<TxParty>> of(Transaction tx) {
    Map<Address, Set<TxParty>> parties = new LinkedHashMap<>(4);
    parties.put(tx.senderAddress(), EnumSet.of(SENDER));
    switch (tx.payload()) {
      case Payload.Transfer t -> add(parties, t.to(), RECIPIENT);
      case Payload.RoleGrant g -> add(parties, g.account(), ROLE_TARGET);
      case Payload.RoleRevoke r -> add(parties, r.account(), ROLE_TARGET);
      case Payload.ValidatorVote v -> add(parties, v.validator().address(), VALIDATOR_TARGET);
      case Payload.RecordPut p -> { }
    }
    return parties;
  }

  private static void add(Map<Address, Set<TxParty>> parties, Address account, TxParty party) {
    parties.computeIfAbsent(account, a -> EnumSet.noneOf(TxParty.class)).add(party);
  }

  /** The bitmask of {@code parties}. */
  public static int bits(Set<TxParty> parties) {
    int bits = 0;
    for (TxParty party : parties) {
      bits |= party.bit;
    }
    return bits;
  }

  /** The parties of a bitmask; a bit no party has is refused (a corrupt or newer index). */
  public static Set<TxParty> fromBits(int bits) {
    Set<TxParty> parties = EnumSet.noneOf(TxParty.class);
    int rest = bits;
    for (TxParty party : values()) {
      if ((rest & party.bit) != 0) {
        parties.add(party);
        rest &= ~party.bit;
      }
    }
    if (rest != 0 || parties.isEmpty()) {
      throw new IllegalArgumentException("not a set of transaction parties: 0x" + Integer.toHexString(bits));
    }
    return parties;
  }
}
