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

  /** One account a transaction touches and the bits ({@link #bit()}) of the ways it does. */
  @FunctionalInterface
  public interface Visitor {
    void party(Address account, int bits);
  }

  /**
   * Visits the accounts {@code tx} touches, the sender first, each once with all the ways it takes part (a
   * transfer to oneself is one visit with both bits). Allocates nothing beyond the sender's address: the
   * commit path visits every transaction of every block.
   */
  public static void visit(Transaction tx, Visitor visitor) {
    Address sender = tx.senderAddress();
    Address target;
    TxParty role;
    switch (tx.payload()) {
      case Payload.Transfer t -> {
        target = t.to();
        role = RECIPIENT;
      }
      case Payload.RoleGrant g -> {
        target = g.account();
        role = ROLE_TARGET;
      }
      case Payload.RoleRevoke r -> {
        target = r.account();
        role = ROLE_TARGET;
      }
      case Payload.ValidatorVote v -> {
        target = v.validator().address();
        role = VALIDATOR_TARGET;
      }
      case Payload.RecordPut p -> {
        target = null;
        role = null;
      }
    }
    if (target != null && target.equals(sender)) {
      visitor.party(sender, SENDER.bit | role.bit);
      return;
    }
    visitor.party(sender, SENDER.bit);
    if (target != null) {
      visitor.party(target, role.bit);
    }
  }

  /** The accounts {@code tx} touches, the sender first, each with the ways it takes part. */
  public static Map<Address, Set<TxParty>> of(Transaction tx) {
    Map<Address, Set<TxParty>> parties = new LinkedHashMap<>(4);
    visit(tx, (account, bits) -> parties.put(account, fromBits(bits)));
    return parties;
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
