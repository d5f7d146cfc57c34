package dev.cairn.ledger.execution;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Limits;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.ReceiptCode;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.model.VoteTally;
import dev.cairn.ledger.state.SparseMerkleTree;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.state.StateReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Executes one block's transactions one at a time against a {@link PendingState}. Incremental so that the
 * proposer can ask, before including a candidate, which nonce its sender needs at this point of the block.
 *
 * <p>Every executed transaction consumes its sender's nonce, whatever its outcome; the outcome is a
 * {@link ReceiptCode}. A nonce that does not match is not an outcome but a broken precondition (such a
 * block is invalid and must never reach execution), so it fails loudly.
 */
final class BlockExecution {
  /**
   * The largest validator set the state can hold: its encoding (tag, version, count, 32 bytes per key) must
   * fit in one tree value, which is tighter than the codec's {@link Limits#VALIDATORS_MAX}. Tallies are
   * bounded by the set, so they fit too.
   */
  static final int VALIDATORS_IN_STATE_MAX =
      Math.min(Limits.VALIDATORS_MAX, (SparseMerkleTree.VALUE_BYTES_MAX - 2 - 4) / PublicKey.SIZE);

  private final PendingState state;
  private final ValidatorSet validatorsBefore;
  /** The set for the next height as changed so far by this block; votes count against it. */
  private ValidatorSet validators;
  private final List<Receipt> receipts;

  BlockExecution(StateReader parentState, ValidatorSet validators, int expectedTxs) {
    this.state = new PendingState(parentState, expectedTxs);
    this.validatorsBefore = validators;
    this.validators = validators;
    this.receipts = new ArrayList<>(expectedTxs);
    Optional<ValidatorSet> stored = state.storedValidators();
    if (stored.isPresent() && !stored.get().equals(validators)) {
      throw new IllegalStateException(
          "validator set passed in (" + validators.hash().shortHex() + ") is not the one in the parent state ("
              + stored.get().hash().shortHex() + ")");
    }
  }

  /** The nonce the next transaction of {@code sender} must carry at this point of the block. */
  long expectedNonce(PublicKey sender) {
    return state.sender(sender).nonce;
  }

  Receipt execute(Transaction tx, Hash txId) {
    AccountSlot sender = state.sender(tx.sender());
    if (tx.nonce() != sender.nonce) {
      throw new IllegalStateException(
          "tx " + txId.shortHex() + " has nonce " + tx.nonce() + " but its sender is at " + sender.nonce);
    }
    sender.nonce = Math.addExact(sender.nonce, 1);
    ReceiptCode code = sender.has(Role.MEMBER) ? run(tx, sender) : ReceiptCode.NOT_A_MEMBER;
    Receipt receipt = new Receipt(txId, code);
    receipts.add(receipt);
    return receipt;
  }

  TransitionResult finish() {
    return new TransitionResult(receipts, state.changes(validatorsBefore, validators), validators);
  }

  private ReceiptCode run(Transaction tx, AccountSlot sender) {
    return switch (tx.payload()) {
      case Payload.Transfer t -> transfer(sender, t);
      case Payload.RecordPut p -> {
        state.putRecord(sender.address, p.key(), p.value());
        yield ReceiptCode.OK;
      }
      case Payload.RoleGrant g -> grant(sender, g);
      case Payload.RoleRevoke r -> revoke(sender, r);
      case Payload.ValidatorVote v -> vote(tx.sender(), v);
    };
  }

  private ReceiptCode transfer(AccountSlot sender, Payload.Transfer t) {
    long amount = t.amount();
    if (sender.balance < amount) {
      return ReceiptCode.INSUFFICIENT_BALANCE;
    }
    AccountSlot recipient = state.account(t.to());
    if (recipient == sender) {
      return ReceiptCode.OK;
    }
    if (recipient.balance > Long.MAX_VALUE - amount) {
      return ReceiptCode.BALANCE_OVERFLOW;
    }
    sender.balance = Math.subtractExact(sender.balance, amount);
    recipient.balance = Math.addExact(recipient.balance, amount);
    return ReceiptCode.OK;
  }

  private ReceiptCode grant(AccountSlot sender, Payload.RoleGrant g) {
    if (!sender.has(Role.ADMIN)) {
      return ReceiptCode.NOT_AN_ADMIN;
    }
    AccountSlot target = state.account(g.account());
    if (target.has(g.role())) {
      return ReceiptCode.ROLE_ALREADY_HELD;
    }
    target.roles |= g.role().bit();
    return ReceiptCode.OK;
  }

  private ReceiptCode revoke(AccountSlot sender, Payload.RoleRevoke r) {
    if (!sender.has(Role.ADMIN)) {
      return ReceiptCode.NOT_AN_ADMIN;
    }
    AccountSlot target = state.account(r.account());
    if (!target.has(r.role())) {
      return ReceiptCode.ROLE_NOT_HELD;
    }
    target.roles &= ~r.role().bit();
    return ReceiptCode.OK;
  }

  /**
   * Records {@code voter}'s vote; the change applies (for the next height) as soon as more than 2/3 of the
   * current set agree: votes*3 > 2n. Only votes of keys still in the set count, and the tally is cleared
   * once its change applies.
   */
  private ReceiptCode vote(PublicKey voter, Payload.ValidatorVote vote) {
    if (!validators.contains(voter)) {
      return ReceiptCode.NOT_A_VALIDATOR;
    }
    PublicKey candidate = vote.validator();
    boolean add = vote.action() == Payload.VoteAction.ADD;
    if (add && validators.contains(candidate)) {
      return ReceiptCode.VALIDATOR_ALREADY_PRESENT;
    }
    if (add && validators.size() >= VALIDATORS_IN_STATE_MAX) {
      return ReceiptCode.VALIDATOR_SET_FULL;
    }
    if (!add && !validators.contains(candidate)) {
      return ReceiptCode.VALIDATOR_NOT_PRESENT;
    }
    if (!add && validators.size() == 1) {
      return ReceiptCode.LAST_VALIDATOR;
    }
    Hash key = StateKeys.vote(candidate, vote.action());
    Optional<VoteTally> tally = state.tally(key);
    if (tally.isPresent() && tally.get().contains(voter)) {
      return ReceiptCode.VOTE_ALREADY_CAST;
    }
    List<PublicKey> voters = new ArrayList<>();
    tally.ifPresent(t -> t.voters().stream().filter(validators::contains).forEach(voters::add));
    voters.add(voter);
    if ((long) voters.size() * 3 > 2L * validators.size()) {
      validators = add ? validators.with(candidate) : validators.without(candidate);
      state.setTally(key, Optional.empty());
    } else {
      state.setTally(key, Optional.of(new VoteTally(voters)));
    }
    return ReceiptCode.OK;
  }
}
