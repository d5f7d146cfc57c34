package dev.cairn.ledger.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.testing.Fixtures;
import dev.cairn.ledger.testing.MemoryState;
import dev.cairn.ledger.testing.TestChain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the mempool hands the proposer (stale, future or repeated nonces, foreign chain ids, forged
 * signatures, in any order), the block it builds validates on every other node, and includes each sender's
 * transactions with consecutive nonces from its account nonce.
 */
class BlockExecutorProperties {
  private static final List<KeyPair> SENDERS = Fixtures.keys("builder", 4);

  enum Flaw { NONE, NONCE_AHEAD, NONCE_BEHIND, OTHER_CHAIN, BAD_SIGNATURE, REPEAT }

  record Candidate(int sender, Flaw flaw, long amount) {}

  @Property(tries = 40)
  void builtBlocksAlwaysValidate(@ForAll("candidateLists") List<List<Candidate>> blocks) {
    MemoryState accounts = new MemoryState();
    for (KeyPair key : SENDERS) {
      accounts.account(key, 1_000, Role.MEMBER);
    }
    TestChain chain = TestChain.create(4, accounts);
    Map<PublicKey, Long> nextNonce = new HashMap<>();
    for (List<Candidate> block : blocks) {
      List<Transaction> candidates = new ArrayList<>();
      for (Candidate c : block) {
        KeyPair from = SENDERS.get(c.sender());
        long nonce = nextNonce.getOrDefault(from.publicKey(), 0L);
        Payload payload = new Payload.Transfer(SENDERS.get((c.sender() + 1) % SENDERS.size()).address(), c.amount());
        Transaction tx = switch (c.flaw()) {
          case NONE -> {
            nextNonce.put(from.publicKey(), nonce + 1);
            yield Transaction.sign(Fixtures.CHAIN_ID, from, nonce, payload);
          }
          // Far enough ahead that no honest transaction of this run fills the gap (a run holds at most 36).
          case NONCE_AHEAD -> Transaction.sign(Fixtures.CHAIN_ID, from, nonce + 1_000, payload);
          case NONCE_BEHIND -> Transaction.sign(Fixtures.CHAIN_ID, from, nonce > 0 ? nonce - 1 : nonce + 1_000, payload);
          case OTHER_CHAIN -> Transaction.sign("elsewhere", from, nonce, payload);
          case BAD_SIGNATURE -> Fixtures.withBadSignature(Transaction.sign(Fixtures.CHAIN_ID, from, nonce, payload));
          case REPEAT -> candidates.isEmpty() ? Transaction.sign("elsewhere", from, nonce, payload) : candidates.get(0);
        };
        candidates.add(tx);
      }
      Map<PublicKey, Long> before = new HashMap<>();
      for (KeyPair key : SENDERS) {
        before.put(key.publicKey(), chain.account(key.address()).nonce());
      }
      ExecutedBlock built = chain.propose(candidates);
      assertThat(chain.validate(built.block())).isInstanceOf(BlockCheck.Valid.class);
      for (Transaction tx : built.block().transactions()) {
        assertThat(tx.nonce()).isEqualTo(before.get(tx.sender()));
        before.put(tx.sender(), tx.nonce() + 1);
      }
      chain.commit(built);
      // Senders whose honest transactions were all included are where the mempool expects them.
      for (KeyPair key : SENDERS) {
        assertThat(chain.account(key.address()).nonce()).isLessThanOrEqualTo(nextNonce.getOrDefault(key.publicKey(), 0L));
      }
    }
  }

  @Provide
  Arbitrary<List<List<Candidate>>> candidateLists() {
    Arbitrary<Flaw> flaws = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.just(Flaw.NONE)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(Flaw.class)));
    Arbitrary<Candidate> candidate = Combinators.combine(
            Arbitraries.integers().between(0, SENDERS.size() - 1), flaws, Arbitraries.longs().between(1, 600))
        .as(Candidate::new);
    return candidate.list().ofMaxSize(12).list().ofMinSize(1).ofMaxSize(3);
  }
}
