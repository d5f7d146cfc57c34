package dev.cairn.ledger.model;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** An account's state: balance, next nonce, roles. Absent accounts read as {@link #EMPTY}. */
public record Account(long balance, long nonce, Set<Role> roles) {
  public static final Account EMPTY = new Account(0, 0, Set.of());

  public Account {
    Objects.requireNonNull(roles, "roles");
    if (balance < 0 || nonce < 0) {
      throw new IllegalArgumentException("balance and nonce must be non-negative");
    }
    roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  public Account withBalance(long newBalance) {
    return new Account(newBalance, nonce, roles);
  }

  public Account withNonce(long newNonce) {
    return new Account(balance, newNonce, roles);
  }

  public Account withRole(Role role) {
    EnumSet<Role> next = roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles);
    next.add(role);
    return new Account(balance, nonce, next);
  }

  public Account withoutRole(Role role) {
    EnumSet<Role> next = roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles);
    next.remove(role);
    return new Account(balance, nonce, next);
  }

  public boolean isEmpty() {
    return balance == 0 && nonce == 0 && roles.isEmpty();
  }
}
