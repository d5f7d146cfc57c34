package dev.cairn.ledger.testing;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.model.VoteTally;
import dev.cairn.ledger.state.StateChanges;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.state.StateReader;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A plain map from state keys to values, for tests of the state transition that need no authenticated
 * tree. Mutable: {@link #apply} folds a block's changes in.
 */
public final class MemoryState implements StateReader {
  private final TreeMap<Hash, Bytes> values = new TreeMap<>();

  @Override
  public Optional<Bytes> get(Hash key) {
    return Optional.ofNullable(values.get(key));
  }

  public MemoryState put(Address address, Account account) {
    values.put(StateKeys.account(address), Bytes.wrap(LedgerCodec.encode(account)));
    return this;
  }

  public MemoryState account(KeyPair key, long balance, Role... roles) {
    EnumSet<Role> set = EnumSet.noneOf(Role.class);
    set.addAll(java.util.List.of(roles));
    return put(key.address(), new Account(balance, 0, set));
  }

  public MemoryState validators(ValidatorSet set) {
    values.put(StateKeys.VALIDATOR_SET, Bytes.wrap(LedgerCodec.encode(set)));
    return this;
  }

  public Account account(Address address) {
    return get(StateKeys.account(address)).map(b -> LedgerCodec.decodeAccount(b.unsafeArray())).orElse(Account.EMPTY);
  }

  public Optional<ValidatorSet> validators() {
    return get(StateKeys.VALIDATOR_SET).map(b -> LedgerCodec.decodeValidatorSet(b.unsafeArray()));
  }

  public Optional<VoteTally> tally(Hash voteKey) {
    return get(voteKey).map(b -> LedgerCodec.decodeVoteTally(b.unsafeArray()));
  }

  public MemoryState apply(StateChanges changes) {
    for (Map.Entry<Hash, Optional<Bytes>> write : changes.writes().entrySet()) {
      if (write.getValue().isPresent()) {
        values.put(write.getKey(), write.getValue().get());
      } else {
        values.remove(write.getKey());
      }
    }
    return this;
  }

  public Map<Hash, Bytes> entries() {
    return java.util.Collections.unmodifiableMap(values);
  }

  public MemoryState copy() {
    MemoryState copy = new MemoryState();
    copy.values.putAll(values);
    return copy;
  }
}
