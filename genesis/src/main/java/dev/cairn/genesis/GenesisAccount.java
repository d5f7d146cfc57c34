package dev.cairn.genesis;

import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.Role;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** An account created at genesis: its address, opening balance and roles. Its nonce starts at 0. */
public record GenesisAccount(Address address, long balance, Set<Role> roles) {
  public GenesisAccount {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(roles, "roles");
    if (balance < 0) {
      throw new IllegalArgumentException("balance must be non-negative, got " + balance);
    }
    if (balance == 0 && roles.isEmpty()) {
      throw new IllegalArgumentException("account " + address + " has no balance and no roles: nothing to create");
    }
    roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
  }

  public Account toAccount() {
    return new Account(balance, 0, roles);
  }
}
