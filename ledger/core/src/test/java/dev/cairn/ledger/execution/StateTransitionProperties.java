package dev.cairn.ledger.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.ReceiptCode;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.testing.Fixtures;
import dev.cairn.ledger.testing.MemoryState;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The state transition against a deliberately simple reference model of the same rules (arrays of
 * balances, nonces and role bits, overflow checked with BigInteger): same receipts, same accounts, supply
 * conserved, balances never negative, one nonce per transaction, deterministic.
 */
class StateTransitionProperties {
  private static final int ACCOUNTS = 6;
  private static final List<KeyPair> KEYS = Fixtures.keys("prop", ACCOUNTS);
  /** Signatures are not the transition's business (BlockExecutor checks them), so a constant one will do. */
  private static final Signature UNSIGNED = new Signature(Bytes.wrap(new byte[Signature.SIZE]));
  private static final ValidatorSet VALIDATORS = new ValidatorSet(List.of(KEYS.get(0).publicKey()));

  enum Kind { TRANSFER, GRANT_MEMBER, REVOKE_MEMBER, RECORD_PUT }

  record Op(Kind kind, int from, int to, long amount) {}

  record Scenario(List<Long> balances, List<Boolean> members, List<Op> ops) {}

  @Property(tries = 300)
  void matchesTheReferenceModel(@ForAll("scenarios") Scenario s) {
    Reference reference = new Reference(s);
    MemoryState state = genesis(s);
    TransitionResult result = StateTransition.apply(state, VALIDATORS, transactions(s));
    List<ReceiptCode> expected = new ArrayList<>();
    for (Op op : s.ops()) {
      expected.add(reference.apply(op));
    }
    assertThat(result.receipts()).extracting(Receipt::code).containsExactlyElementsOf(expected);
    state.apply(result.changes());
    for (int i = 0; i < ACCOUNTS; i++) {
      assertThat(state.account(KEYS.get(i).address())).as("account " + i).isEqualTo(reference.account(i));
    }
  }

  @Property(tries = 300)
  void transfersConserveSupplyKeepBalancesNonNegativeAndConsumeOneNoncePerTx(@ForAll("scenarios") Scenario s) {
    MemoryState state = genesis(s);
    BigInteger supplyBefore = supply(state);
    state.apply(StateTransition.apply(state, VALIDATORS, transactions(s)).changes());
    assertThat(supply(state)).isEqualTo(supplyBefore);
    for (int i = 0; i < ACCOUNTS; i++) {
      int sender = i;
      Account account = state.account(KEYS.get(i).address());
      assertThat(account.balance()).isNotNegative();
      assertThat(account.nonce()).isEqualTo(s.ops().stream().filter(op -> op.from() == sender).count());
    }
  }

  @Property(tries = 100)
  void sameInputSameOutput(@ForAll("scenarios") Scenario s) {
    List<Transaction> txs = transactions(s);
    TransitionResult first = StateTransition.apply(genesis(s), VALIDATORS, txs);
    TransitionResult second = StateTransition.apply(genesis(s), VALIDATORS, txs);
    assertThat(second).isEqualTo(first);
    assertThat(second.changes().writes().keySet()).containsExactlyElementsOf(first.changes().writes().keySet());
  }

  private static BigInteger supply(MemoryState state) {
    BigInteger total = BigInteger.ZERO;
    for (KeyPair key : KEYS) {
      total = total.add(BigInteger.valueOf(state.account(key.address()).balance()));
    }
    return total;
  }

  private static MemoryState genesis(Scenario s) {
    MemoryState state = new MemoryState().validators(VALIDATORS);
    for (int i = 0; i < ACCOUNTS; i++) {
      EnumSet<Role> roles = EnumSet.noneOf(Role.class);
      if (s.members().get(i)) {
        roles.add(Role.MEMBER);
      }
      if (i == 0) {
        roles.add(Role.ADMIN);
      }
      state.put(KEYS.get(i).address(), new Account(s.balances().get(i), 0, roles));
    }
    return state;
  }

  private static List<Transaction> transactions(Scenario s) {
    long[] nonces = new long[ACCOUNTS];
    List<Transaction> txs = new ArrayList<>();
    for (Op op : s.ops()) {
      PublicKey sender = KEYS.get(op.from()).publicKey();
      var to = KEYS.get(op.to()).address();
      Payload payload = switch (op.kind()) {
        case TRANSFER -> new Payload.Transfer(to, op.amount());
        case GRANT_MEMBER -> new Payload.RoleGrant(to, Role.MEMBER);
        case REVOKE_MEMBER -> new Payload.RoleRevoke(to, Role.MEMBER);
        case RECORD_PUT -> new Payload.RecordPut("k" + op.to(), Bytes.wrap(new byte[] {(byte) op.amount()}));
      };
      txs.add(new Transaction(Fixtures.CHAIN_ID, sender, nonces[op.from()]++, payload, UNSIGNED));
    }
    return txs;
  }

  /** The rules restated as plainly as possible. */
  static final class Reference {
    private final long[] balances = new long[ACCOUNTS];
    private final long[] nonces = new long[ACCOUNTS];
    private final boolean[] members = new boolean[ACCOUNTS];

    Reference(Scenario s) {
      for (int i = 0; i < ACCOUNTS; i++) {
        balances[i] = s.balances().get(i);
        members[i] = s.members().get(i);
      }
    }

    ReceiptCode apply(Op op) {
      int from = op.from();
      int to = op.to();
      nonces[from]++;
      if (!members[from]) {
        return ReceiptCode.NOT_A_MEMBER;
      }
      switch (op.kind()) {
        case TRANSFER -> {
          if (balances[from] < op.amount()) {
            return ReceiptCode.INSUFFICIENT_BALANCE;
          }
          if (from == to) {
            return ReceiptCode.OK;
          }
          BigInteger after = BigInteger.valueOf(balances[to]).add(BigInteger.valueOf(op.amount()));
          if (after.bitLength() > 63) {
            return ReceiptCode.BALANCE_OVERFLOW;
          }
          balances[from] -= op.amount();
          balances[to] = after.longValueExact();
          return ReceiptCode.OK;
        }
        case GRANT_MEMBER, REVOKE_MEMBER -> {
          if (from != 0) {
            return ReceiptCode.NOT_AN_ADMIN;
          }
          boolean grant = op.kind() == Kind.GRANT_MEMBER;
          if (members[to] == grant) {
            return grant ? ReceiptCode.ROLE_ALREADY_HELD : ReceiptCode.ROLE_NOT_HELD;
          }
          members[to] = grant;
          return ReceiptCode.OK;
        }
        case RECORD_PUT -> {
          return ReceiptCode.OK;
        }
      }
      throw new IllegalStateException("unreachable");
    }

    Account account(int i) {
      EnumSet<Role> roles = EnumSet.noneOf(Role.class);
      if (members[i]) {
        roles.add(Role.MEMBER);
      }
      if (i == 0) {
        roles.add(Role.ADMIN);
      }
      return new Account(balances[i], nonces[i], roles);
    }
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<Long> balances = Arbitraries.oneOf(
        Arbitraries.longs().between(0, 1_000),
        Arbitraries.longs().between(Long.MAX_VALUE - 1_000, Long.MAX_VALUE));
    Arbitrary<Long> amounts = Arbitraries.oneOf(
        Arbitraries.longs().between(1, 1_000),
        Arbitraries.longs().between(Long.MAX_VALUE - 1_000, Long.MAX_VALUE));
    Arbitrary<Integer> index = Arbitraries.integers().between(0, ACCOUNTS - 1);
    Arbitrary<Kind> kinds = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(7, Arbitraries.just(Kind.TRANSFER)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.GRANT_MEMBER)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.REVOKE_MEMBER)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.RECORD_PUT)));
    Arbitrary<Op> ops = Combinators.combine(kinds, index, index, amounts).as(Op::new);
    return Combinators.combine(
            balances.list().ofSize(ACCOUNTS),
            Arbitraries.of(true, true, false).list().ofSize(ACCOUNTS),
            ops.list().ofMaxSize(40))
        .as(Scenario::new);
  }
}
