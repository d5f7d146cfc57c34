package dev.cairn.ledger.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Payload.VoteAction;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.ReceiptCode;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.model.VoteTally;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.testing.Fixtures;
import dev.cairn.ledger.testing.MemoryState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Validator votes over several blocks against a reference model that keeps the set and the tallies as plain
 * index sets: same receipts, same set for every next height, same tallies persisted in state.
 */
class ValidatorVoteProperties {
  private static final int UNIVERSE = 7;
  private static final List<KeyPair> KEYS = Fixtures.keys("voter", UNIVERSE);
  private static final Signature UNSIGNED = new Signature(Bytes.wrap(new byte[Signature.SIZE]));

  record Vote(int voter, int candidate, boolean add) {}

  @Property(tries = 100)
  void votesMatchTheReferenceModel(@ForAll("blocks") List<List<Vote>> blocks, @ForAll("initialSize") int initial) {
    Reference reference = new Reference(initial);
    MemoryState state = new MemoryState();
    for (KeyPair key : KEYS) {
      state.account(key, 0, Role.MEMBER);
    }
    ValidatorSet validators = reference.set();
    state.validators(validators);
    long[] nonces = new long[UNIVERSE];
    for (List<Vote> block : blocks) {
      List<Transaction> txs = new ArrayList<>();
      List<ReceiptCode> expected = new ArrayList<>();
      for (Vote v : block) {
        VoteAction action = v.add() ? VoteAction.ADD : VoteAction.REMOVE;
        txs.add(new Transaction(Fixtures.CHAIN_ID, KEYS.get(v.voter()).publicKey(), nonces[v.voter()]++,
            new Payload.ValidatorVote(KEYS.get(v.candidate()).publicKey(), action), UNSIGNED));
        expected.add(reference.vote(v));
      }
      TransitionResult result = StateTransition.apply(state, validators, txs);
      assertThat(result.receipts()).extracting(Receipt::code).containsExactlyElementsOf(expected);
      assertThat(result.nextValidators()).isEqualTo(reference.set());
      state.apply(result.changes());
      validators = result.nextValidators();
      assertThat(state.validators()).contains(validators);
      for (int c = 0; c < UNIVERSE; c++) {
        for (boolean add : new boolean[] {true, false}) {
          VoteAction action = add ? VoteAction.ADD : VoteAction.REMOVE;
          Optional<List<PublicKey>> stored = state.tally(StateKeys.vote(KEYS.get(c).publicKey(), action)).map(VoteTally::voters);
          assertThat(stored).as("tally " + c + " " + action).isEqualTo(reference.tally(c, add));
        }
      }
    }
  }

  /** The vote rules over index sets. */
  static final class Reference {
    private final TreeSet<Integer> set = new TreeSet<>();
    private final Map<List<Object>, TreeSet<Integer>> tallies = new HashMap<>();

    Reference(int initial) {
      for (int i = 0; i < initial; i++) {
        set.add(i);
      }
    }

    ReceiptCode vote(Vote v) {
      if (!set.contains(v.voter())) {
        return ReceiptCode.NOT_A_VALIDATOR;
      }
      if (v.add() && set.contains(v.candidate())) {
        return ReceiptCode.VALIDATOR_ALREADY_PRESENT;
      }
      if (!v.add() && !set.contains(v.candidate())) {
        return ReceiptCode.VALIDATOR_NOT_PRESENT;
      }
      if (!v.add() && set.size() == 1) {
        return ReceiptCode.LAST_VALIDATOR;
      }
      List<Object> key = List.of(v.candidate(), v.add());
      TreeSet<Integer> old = tallies.getOrDefault(key, new TreeSet<>());
      if (old.contains(v.voter())) {
        return ReceiptCode.VOTE_ALREADY_CAST;
      }
      TreeSet<Integer> voters = new TreeSet<>(old);
      voters.retainAll(set);
      voters.add(v.voter());
      if (voters.size() * 3 > set.size() * 2) {
        if (v.add()) {
          set.add(v.candidate());
        } else {
          set.remove(v.candidate());
        }
        tallies.remove(key);
      } else {
        tallies.put(key, voters);
      }
      return ReceiptCode.OK;
    }

    ValidatorSet set() {
      return new ValidatorSet(set.stream().map(i -> KEYS.get(i).publicKey()).toList());
    }

    Optional<List<PublicKey>> tally(int candidate, boolean add) {
      TreeSet<Integer> voters = tallies.get(List.of(candidate, add));
      return Optional.ofNullable(voters).map(v -> new VoteTally(v.stream().map(i -> KEYS.get(i).publicKey()).toList()).voters());
    }
  }

  @Provide
  Arbitrary<Integer> initialSize() {
    return Arbitraries.integers().between(1, 5);
  }

  @Provide
  Arbitrary<List<List<Vote>>> blocks() {
    Arbitrary<Integer> index = Arbitraries.integers().between(0, UNIVERSE - 1);
    Arbitrary<Vote> vote = Combinators.combine(index, index, Arbitraries.of(true, false)).as(Vote::new);
    return vote.list().ofMaxSize(15).list().ofMinSize(1).ofMaxSize(5);
  }
}
