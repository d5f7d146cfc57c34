package dev.cairn.ledger.execution;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.Role;
import java.util.EnumSet;
import java.util.Optional;

/**
 * One account as a block sees it while executing: decoded once from the parent state, then mutated in
 * place by every transaction of the block that touches it, and encoded once at the end. Mutable on purpose:
 * a 5,000-transfer block would otherwise allocate a new {@link Account} per balance change.
 */
final class AccountSlot {
  final Address address;
  final Hash stateKey;
  private final long balanceBefore;
  private final long nonceBefore;
  private final int rolesBefore;
  long balance;
  long nonce;
  int roles;

  AccountSlot(Address address, Hash stateKey, Account before) {
    this.address = address;
    this.stateKey = stateKey;
    this.balanceBefore = before.balance();
    this.nonceBefore = before.nonce();
    this.rolesBefore = Role.mask(before.roles());
    this.balance = balanceBefore;
    this.nonce = nonceBefore;
    this.roles = rolesBefore;
  }

  boolean has(Role role) {
    return (roles & role.bit()) != 0;
  }

  boolean changed() {
    return balance != balanceBefore || nonce != nonceBefore || roles != rolesBefore;
  }

  /** The value to write: the canonical account, or a delete when the account is back to empty (absent). */
  Optional<Bytes> encoded() {
    if (balance == 0 && nonce == 0 && roles == 0) {
      return Optional.empty();
    }
    EnumSet<Role> set = EnumSet.noneOf(Role.class);
    for (Role role : Role.values()) {
      if ((roles & role.bit()) != 0) {
        set.add(role);
      }
    }
    return Optional.of(Bytes.wrap(LedgerCodec.encode(new Account(balance, nonce, set))));
  }
}
