package dev.cairn.ledger.execution;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.model.VoteTally;
import dev.cairn.ledger.state.StateChanges;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.state.StateReader;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The overlay one block executes against: reads fall through to the parent state once per item and are then
 * served from here, so a transaction sees every earlier write of the same block. At the end it turns into
 * the block's sorted {@link StateChanges}, holding only items whose value actually changed.
 */
final class PendingState {
  private final StateReader parent;
  /** Senders are looked up by key: this skips re-hashing a public key into an address per transaction. */
  private final Map<PublicKey, AccountSlot> bySender;
  private final Map<Address, AccountSlot> byAddress;
  private final Map<Hash, Bytes> records = new HashMap<>();
  private final Map<Hash, Optional<VoteTally>> talliesBefore = new HashMap<>();
  private final Map<Hash, Optional<VoteTally>> tallies = new HashMap<>();

  /** {@code expectedTxs} presizes the maps: a transfer block touches about two accounts per transaction. */
  PendingState(StateReader parent, int expectedTxs) {
    this.parent = parent;
    this.bySender = HashMap.newHashMap(expectedTxs);
    this.byAddress = HashMap.newHashMap(2 * expectedTxs);
  }

  AccountSlot sender(PublicKey key) {
    AccountSlot slot = bySender.get(key);
    if (slot == null) {
      slot = account(key.address());
      bySender.put(key, slot);
    }
    return slot;
  }

  AccountSlot account(Address address) {
    AccountSlot slot = byAddress.get(address);
    if (slot == null) {
      Hash key = StateKeys.account(address);
      Account before = parent.get(key).map(b -> LedgerCodec.decodeAccount(b.unsafeArray())).orElse(Account.EMPTY);
      slot = new AccountSlot(address, key, before);
      byAddress.put(address, slot);
    }
    return slot;
  }

  void putRecord(Address owner, String recordKey, Bytes value) {
    records.put(StateKeys.record(owner, recordKey), value);
  }

  Optional<VoteTally> tally(Hash voteKey) {
    Optional<VoteTally> tally = tallies.get(voteKey);
    if (tally == null) {
      tally = parent.get(voteKey).map(b -> LedgerCodec.decodeVoteTally(b.unsafeArray()));
      talliesBefore.put(voteKey, tally);
      tallies.put(voteKey, tally);
    }
    return tally;
  }

  /** Replaces a tally read before with {@link #tally}; empty clears it. */
  void setTally(Hash voteKey, Optional<VoteTally> tally) {
    if (!tallies.containsKey(voteKey)) {
      throw new IllegalStateException("tally written before it was read: " + voteKey);
    }
    tallies.put(voteKey, tally);
  }

  Optional<ValidatorSet> storedValidators() {
    return parent.get(StateKeys.VALIDATOR_SET).map(b -> LedgerCodec.decodeValidatorSet(b.unsafeArray()));
  }

  StateChanges changes(ValidatorSet validatorsBefore, ValidatorSet validatorsAfter) {
    TreeMap<Hash, Optional<Bytes>> writes = new TreeMap<>();
    for (AccountSlot slot : byAddress.values()) {
      if (slot.changed()) {
        writes.put(slot.stateKey, slot.encoded());
      }
    }
    for (Map.Entry<Hash, Bytes> record : records.entrySet()) {
      writes.put(record.getKey(), Optional.of(record.getValue()));
    }
    for (Map.Entry<Hash, Optional<VoteTally>> tally : tallies.entrySet()) {
      if (!tally.getValue().equals(talliesBefore.get(tally.getKey()))) {
        writes.put(tally.getKey(), tally.getValue().map(t -> Bytes.wrap(LedgerCodec.encode(t))));
      }
    }
    if (!validatorsAfter.equals(validatorsBefore)) {
      writes.put(StateKeys.VALIDATOR_SET, Optional.of(Bytes.wrap(LedgerCodec.encode(validatorsAfter))));
    }
    return new StateChanges(writes);
  }
}
