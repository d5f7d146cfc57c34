package dev.cairn.ledger.execution;

import static dev.cairn.ledger.testing.Fixtures.grant;
import static dev.cairn.ledger.testing.Fixtures.key;
import static dev.cairn.ledger.testing.Fixtures.recordPut;
import static dev.cairn.ledger.testing.Fixtures.revoke;
import static dev.cairn.ledger.testing.Fixtures.transfer;
import static dev.cairn.ledger.testing.Fixtures.vote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.Payload.VoteAction;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.ReceiptCode;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.testing.Fixtures;
import dev.cairn.ledger.testing.MemoryState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StateTransitionTest {
  private static final KeyPair ALICE = key("alice");
  private static final KeyPair BOB = key("bob");
  private static final KeyPair ADMIN = key("admin");
  private static final KeyPair OUTSIDER = key("outsider");
  private static final List<KeyPair> VALIDATOR_KEYS = Fixtures.keys("validator", 4);
  private static final ValidatorSet FOUR = new ValidatorSet(VALIDATOR_KEYS.stream().map(KeyPair::publicKey).toList());

  private static MemoryState state() {
    MemoryState state =
        new MemoryState()
            .account(ALICE, 1_000, Role.MEMBER)
            .account(BOB, 50, Role.MEMBER)
            .account(ADMIN, 0, Role.MEMBER, Role.ADMIN)
            .account(OUTSIDER, 500)
            .validators(FOUR);
    for (KeyPair v : VALIDATOR_KEYS) {
      state.account(v, 0, Role.MEMBER);
    }
    return state;
  }

  private static TransitionResult run(MemoryState state, ValidatorSet validators, Transaction... txs) {
    return StateTransition.apply(state, validators, List.of(txs));
  }

  private static ReceiptCode lastCode(MemoryState state, ValidatorSet validators, Transaction... txs) {
    List<Receipt> receipts = run(state, validators, txs).receipts();
    return receipts.get(receipts.size() - 1).code();
  }

  /** One scenario per receipt code: adding a code without a scenario fails {@link #everyReceiptCode}. */
  private static final Map<ReceiptCode, Supplier<ReceiptCode>> SCENARIOS = new EnumMap<>(ReceiptCode.class);

  static {
    KeyPair v0 = VALIDATOR_KEYS.get(0);
    PublicKey newcomer = key("newcomer").publicKey();
    SCENARIOS.put(ReceiptCode.OK, () -> lastCode(state(), FOUR, transfer(ALICE, 0, BOB.address(), 10)));
    SCENARIOS.put(ReceiptCode.NOT_A_MEMBER, () -> lastCode(state(), FOUR, transfer(OUTSIDER, 0, BOB.address(), 10)));
    SCENARIOS.put(
        ReceiptCode.INSUFFICIENT_BALANCE, () -> lastCode(state(), FOUR, transfer(BOB, 0, ALICE.address(), 51)));
    SCENARIOS.put(
        ReceiptCode.BALANCE_OVERFLOW,
        () -> lastCode(state().account(BOB, Long.MAX_VALUE, Role.MEMBER), FOUR, transfer(ALICE, 0, BOB.address(), 1)));
    SCENARIOS.put(
        ReceiptCode.NOT_AN_ADMIN, () -> lastCode(state(), FOUR, grant(ALICE, 0, BOB.address(), Role.ADMIN)));
    SCENARIOS.put(
        ReceiptCode.NOT_A_VALIDATOR, () -> lastCode(state(), FOUR, vote(ALICE, 0, newcomer, VoteAction.ADD)));
    SCENARIOS.put(
        ReceiptCode.ROLE_ALREADY_HELD, () -> lastCode(state(), FOUR, grant(ADMIN, 0, BOB.address(), Role.MEMBER)));
    SCENARIOS.put(
        ReceiptCode.ROLE_NOT_HELD, () -> lastCode(state(), FOUR, revoke(ADMIN, 0, BOB.address(), Role.ADMIN)));
    SCENARIOS.put(
        ReceiptCode.VALIDATOR_ALREADY_PRESENT,
        () -> lastCode(state(), FOUR, vote(v0, 0, VALIDATOR_KEYS.get(1).publicKey(), VoteAction.ADD)));
    SCENARIOS.put(
        ReceiptCode.VALIDATOR_NOT_PRESENT, () -> lastCode(state(), FOUR, vote(v0, 0, newcomer, VoteAction.REMOVE)));
    SCENARIOS.put(
        ReceiptCode.VOTE_ALREADY_CAST,
        () -> lastCode(state(), FOUR, vote(v0, 0, newcomer, VoteAction.ADD), vote(v0, 1, newcomer, VoteAction.ADD)));
    SCENARIOS.put(ReceiptCode.LAST_VALIDATOR, () -> {
      ValidatorSet alone = new ValidatorSet(List.of(v0.publicKey()));
      return lastCode(state().validators(alone), alone, vote(v0, 0, v0.publicKey(), VoteAction.REMOVE));
    });
    SCENARIOS.put(ReceiptCode.VALIDATOR_SET_FULL, () -> {
      List<PublicKey> keys = new ArrayList<>();
      keys.add(v0.publicKey());
      for (int i = 1; i < BlockExecution.VALIDATORS_IN_STATE_MAX; i++) {
        byte[] raw = new byte[PublicKey.SIZE];
        raw[0] = (byte) (i >>> 8);
        raw[1] = (byte) i;
        raw[31] = 1;
        keys.add(new PublicKey(Bytes.wrap(raw)));
      }
      ValidatorSet full = new ValidatorSet(keys);
      // The full set still fits in one state value.
      assertThat(dev.cairn.ledger.codec.LedgerCodec.encode(full).length)
          .isLessThanOrEqualTo(dev.cairn.ledger.state.SparseMerkleTree.VALUE_BYTES_MAX);
      return lastCode(state().validators(full), full, vote(v0, 0, newcomer, VoteAction.ADD));
    });
  }

  @ParameterizedTest
  @EnumSource(ReceiptCode.class)
  void everyReceiptCode(ReceiptCode code) {
    assertThat(SCENARIOS).as("a scenario for " + code).containsKey(code);
    assertThat(SCENARIOS.get(code).get()).isEqualTo(code);
  }

  @Test
  void transferMovesBalanceAndConsumesNonce() {
    MemoryState state = state();
    TransitionResult result = run(state, FOUR, transfer(ALICE, 0, BOB.address(), 300), transfer(ALICE, 1, BOB.address(), 1));
    state.apply(result.changes());
    assertThat(state.account(ALICE.address())).isEqualTo(new Account(699, 2, java.util.Set.of(Role.MEMBER)));
    assertThat(state.account(BOB.address()).balance()).isEqualTo(351);
    assertThat(result.nextValidators()).isEqualTo(FOUR);
  }

  @Test
  void failedTransactionsConsumeTheirNonceAndChangeNothingElse() {
    MemoryState state = state();
    TransitionResult result =
        run(state, FOUR, transfer(BOB, 0, ALICE.address(), 1_000), transfer(OUTSIDER, 0, ALICE.address(), 1));
    assertThat(result.receipts()).extracting(Receipt::code)
        .containsExactly(ReceiptCode.INSUFFICIENT_BALANCE, ReceiptCode.NOT_A_MEMBER);
    state.apply(result.changes());
    assertThat(state.account(BOB.address())).isEqualTo(new Account(50, 1, java.util.Set.of(Role.MEMBER)));
    assertThat(state.account(OUTSIDER.address())).isEqualTo(new Account(500, 1, java.util.Set.of()));
    assertThat(state.account(ALICE.address()).balance()).isEqualTo(1_000);
    assertThat(result.changes().size()).isEqualTo(2);
  }

  @Test
  void laterTransactionsSeeEarlierWritesOfTheSameBlock() {
    MemoryState state = state();
    // Bob has 50; only after Alice's transfer can he pay 100.
    TransitionResult result =
        run(state, FOUR, transfer(ALICE, 0, BOB.address(), 100), transfer(BOB, 0, ALICE.address(), 120));
    assertThat(result.receipts()).extracting(Receipt::code).containsOnly(ReceiptCode.OK);
  }

  @Test
  void selfTransferKeepsBalance() {
    MemoryState state = state();
    state.apply(run(state, FOUR, transfer(ALICE, 0, ALICE.address(), 1_000)).changes());
    assertThat(state.account(ALICE.address()).balance()).isEqualTo(1_000);
    assertThat(state.account(ALICE.address()).nonce()).isEqualTo(1);
  }

  @Test
  void recordPutStoresUnderTheSendersNamespace() {
    MemoryState state = state();
    TransitionResult result = run(state, FOUR, recordPut(ALICE, 0, "doc/1", "v1"), recordPut(ALICE, 1, "doc/1", "v2"));
    state.apply(result.changes());
    assertThat(state.get(StateKeys.record(ALICE.address(), "doc/1")))
        .contains(Bytes.wrap("v2".getBytes(StandardCharsets.UTF_8)));
    assertThat(state.get(StateKeys.record(BOB.address(), "doc/1"))).isEmpty();
  }

  @Test
  void adminGrantsAndRevokesAndAnEmptiedAccountIsDeleted() {
    MemoryState state = state();
    KeyPair carol = key("carol");
    TransitionResult granted = run(state, FOUR, grant(ADMIN, 0, carol.address(), Role.MEMBER));
    state.apply(granted.changes());
    assertThat(state.account(carol.address()).has(Role.MEMBER)).isTrue();
    TransitionResult revoked = run(state, FOUR, revoke(ADMIN, 1, carol.address(), Role.MEMBER));
    assertThat(revoked.changes().writes().get(StateKeys.account(carol.address()))).isEmpty();
    state.apply(revoked.changes());
    assertThat(state.get(StateKeys.account(carol.address()))).isEmpty();
  }

  @Test
  void validatorChangeNeedsMoreThanTwoThirdsAndAppliesFromTheNextHeight() {
    MemoryState state = state();
    PublicKey newcomer = key("newcomer").publicKey();
    // Two of four: 6 > 8 is false, so no change yet, and the tally persists across blocks.
    TransitionResult first = run(state, FOUR,
        vote(VALIDATOR_KEYS.get(0), 0, newcomer, VoteAction.ADD), vote(VALIDATOR_KEYS.get(1), 0, newcomer, VoteAction.ADD));
    assertThat(first.nextValidators()).isEqualTo(FOUR);
    state.apply(first.changes());
    assertThat(state.tally(StateKeys.vote(newcomer, VoteAction.ADD)).orElseThrow().voters()).hasSize(2);
    // The third vote: 9 > 8.
    TransitionResult second = run(state, FOUR, vote(VALIDATOR_KEYS.get(2), 0, newcomer, VoteAction.ADD));
    assertThat(second.nextValidators()).isEqualTo(FOUR.with(newcomer));
    state.apply(second.changes());
    assertThat(state.validators()).contains(FOUR.with(newcomer));
    assertThat(state.tally(StateKeys.vote(newcomer, VoteAction.ADD))).isEmpty();
  }

  @Test
  void votesOfRemovedValidatorsDoNotCount() {
    MemoryState state = state();
    PublicKey newcomer = key("newcomer").publicKey();
    PublicKey v3 = VALIDATOR_KEYS.get(3).publicKey();
    // v3 votes to add the newcomer, then v0..v2 remove v3 (3 of 4 applies).
    TransitionResult block = run(state, FOUR,
        vote(VALIDATOR_KEYS.get(3), 0, newcomer, VoteAction.ADD),
        vote(VALIDATOR_KEYS.get(0), 0, v3, VoteAction.REMOVE),
        vote(VALIDATOR_KEYS.get(1), 0, v3, VoteAction.REMOVE),
        vote(VALIDATOR_KEYS.get(2), 0, v3, VoteAction.REMOVE),
        // v3 is out of the set for the next height: its further votes are refused.
        vote(VALIDATOR_KEYS.get(3), 1, VALIDATOR_KEYS.get(0).publicKey(), VoteAction.REMOVE));
    ValidatorSet three = FOUR.without(v3);
    assertThat(block.nextValidators()).isEqualTo(three);
    assertThat(block.receipts().get(4).code()).isEqualTo(ReceiptCode.NOT_A_VALIDATOR);
    state.apply(block.changes());
    // Now n=3: with v3's stale vote counted, v0 + v1 would make 3 votes (9 > 6); without it, 2 votes: 6 > 6 is false.
    TransitionResult next = run(state, three, vote(VALIDATOR_KEYS.get(0), 1, newcomer, VoteAction.ADD));
    assertThat(next.nextValidators()).isEqualTo(three);
    assertThat(next.receipts().get(0).code()).isEqualTo(ReceiptCode.OK);
    state.apply(next.changes());
    assertThat(state.tally(StateKeys.vote(newcomer, VoteAction.ADD)).orElseThrow().voters())
        .containsExactlyInAnyOrder(VALIDATOR_KEYS.get(0).publicKey());
    TransitionResult last = run(state, three, vote(VALIDATOR_KEYS.get(1), 1, newcomer, VoteAction.ADD));
    assertThat(last.nextValidators()).isEqualTo(three);
  }

  @Test
  void aWrongNonceIsABrokenPreconditionNotAReceipt() {
    assertThatThrownBy(() -> run(state(), FOUR, transfer(ALICE, 1, BOB.address(), 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nonce");
  }

  @Test
  void aValidatorSetThatDisagreesWithTheStateIsABrokenInvariant() {
    ValidatorSet other = new ValidatorSet(List.of(ALICE.publicKey()));
    assertThatThrownBy(() -> run(state(), other, transfer(ALICE, 0, BOB.address(), 1)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void changesAreSortedByKeyAndDeterministic() {
    Transaction[] txs = {
      transfer(ALICE, 0, BOB.address(), 5), recordPut(BOB, 0, "k", "v"), grant(ADMIN, 0, OUTSIDER.address(), Role.MEMBER)
    };
    TransitionResult one = run(state(), FOUR, txs);
    TransitionResult two = run(state(), FOUR, txs);
    assertThat(one).isEqualTo(two);
    assertThat(new ArrayList<>(one.changes().writes().keySet())).isSorted();
  }
}
