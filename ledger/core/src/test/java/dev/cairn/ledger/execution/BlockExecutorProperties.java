package dev.cairn.ledger.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.ReceiptCode;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.testing.Fixtures;
import dev.cairn.ledger.testing.MemoryState;
import dev.cairn.ledger.testing.TestChain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Whatever the mempool hands the proposer (stale, future or repeated nonces, foreign chain ids, forged
 * signatures, in any order), the block it builds validates on every other node and is exactly the block a
 * simple reference builds: one pass over the candidates in the order given, taking a candidate when it
 * carries this chain's id, has not been taken already, carries its sender's next nonce at that point of the
 * block, and is signed by its sender. A candidate that is ahead of its sender's nonce is therefore taken if
 * the candidates before it fill the gap (it is valid in sequence, and a validator accepts it), which the
 * first version of this property did not model (seed 5581871113123745949; see {@link #aheadNonceFilledByEarlierCandidates}).
 */
class BlockExecutorProperties {
  private static final List<KeyPair> SENDERS = Fixtures.keys("builder", 4);
  private static final long INITIAL_BALANCE = 1_000;

  enum Flaw { NONE, NONCE_AHEAD, NONCE_BEHIND, OTHER_CHAIN, BAD_SIGNATURE, REPEAT }

  record Candidate(int sender, Flaw flaw, long amount) {}

  /** A signed candidate and whether its signature is its sender's (known from how it was made, not checked). */
  record Signed(Transaction tx, boolean signedBySender) {}

  @Property(tries = 40)
  void builtBlocksMatchTheReferenceBuilder(@ForAll("candidateLists") List<List<Candidate>> blocks) {
    checkAgainstReference(blocks);
  }

  /** The seed on which the first, one-sided version of this property failed; tried on every run. */
  @Property(tries = 40, seed = "5581871113123745949")
  void builtBlocksMatchTheReferenceBuilderOnKnownSeed(@ForAll("candidateLists") List<List<Candidate>> blocks) {
    checkAgainstReference(blocks);
  }

  /**
   * The shrunk sample of seed 5581871113123745949: the first candidate carries nonce 3, the next three fill
   * nonces 0..2, the fifth carries nonce 6 and the sixth repeats the first. The reference takes the three
   * honest ones and nothing else, because the nonce-3 candidate comes before its gap is filled; the builder
   * must agree.
   */
  @Example
  void aheadNonceFilledByEarlierCandidates() {
    checkAgainstReference(List.of(List.of(
        new Candidate(0, Flaw.NONCE_AHEAD, 1),
        new Candidate(0, Flaw.NONE, 1),
        new Candidate(0, Flaw.NONE, 1),
        new Candidate(0, Flaw.NONE, 1),
        new Candidate(0, Flaw.NONCE_AHEAD, 1),
        new Candidate(0, Flaw.REPEAT, 1))));
  }

  /** An ahead-of-nonce candidate placed after the candidates that fill its gap is taken, in sequence. */
  @Example
  void aheadNonceAfterItsGapIsIncluded() {
    List<Transaction> included = checkAgainstReference(List.of(List.of(
        new Candidate(1, Flaw.NONE, 5),
        new Candidate(1, Flaw.NONE, 5),
        new Candidate(1, Flaw.NONE, 5),
        new Candidate(1, Flaw.NONCE_AHEAD, 5))));
    assertThat(included).hasSize(3);
  }

  private static List<Transaction> checkAgainstReference(List<List<Candidate>> blocks) {
    MemoryState accounts = new MemoryState();
    for (KeyPair key : SENDERS) {
      accounts.account(key, INITIAL_BALANCE, Role.MEMBER);
    }
    TestChain chain = TestChain.create(4, accounts);
    ReferenceBuilder reference = new ReferenceBuilder();
    Map<PublicKey, Long> issued = new HashMap<>();
    List<Transaction> allIncluded = new ArrayList<>();
    for (List<Candidate> block : blocks) {
      List<Signed> candidates = sign(block, issued);
      ReferenceBuilder.Outcome expected = reference.build(candidates);

      ExecutedBlock built = chain.propose(candidates.stream().map(Signed::tx).toList());
      assertThat(chain.validate(built.block())).isInstanceOf(BlockCheck.Valid.class);
      assertThat(built.block().transactions()).containsExactlyElementsOf(expected.included());
      assertThat(built.receipts().stream().map(Receipt::code).toList()).containsExactlyElementsOf(expected.codes());
      chain.commit(built);
      for (KeyPair key : SENDERS) {
        assertThat(chain.account(key.address()).nonce()).isEqualTo(reference.nonce(key.publicKey()));
        assertThat(chain.account(key.address()).balance()).isEqualTo(reference.balance(key.publicKey()));
      }
      allIncluded.addAll(expected.included());
    }
    return allIncluded;
  }

  /** Signs one block's candidates; {@code issued} is the next honest nonce per sender (the generator's view). */
  private static List<Signed> sign(List<Candidate> block, Map<PublicKey, Long> issued) {
    List<Signed> signed = new ArrayList<>();
    for (Candidate c : block) {
      KeyPair from = SENDERS.get(c.sender());
      long nonce = issued.getOrDefault(from.publicKey(), 0L);
      Payload payload = new Payload.Transfer(SENDERS.get((c.sender() + 1) % SENDERS.size()).address(), c.amount());
      Signed tx = switch (c.flaw()) {
        case NONE -> {
          issued.put(from.publicKey(), nonce + 1);
          yield new Signed(Transaction.sign(Fixtures.CHAIN_ID, from, nonce, payload), true);
        }
        case NONCE_AHEAD -> new Signed(Transaction.sign(Fixtures.CHAIN_ID, from, nonce + 3, payload), true);
        case NONCE_BEHIND ->
            new Signed(Transaction.sign(Fixtures.CHAIN_ID, from, nonce > 0 ? nonce - 1 : nonce + 2, payload), true);
        case OTHER_CHAIN -> new Signed(Transaction.sign("elsewhere", from, nonce, payload), true);
        case BAD_SIGNATURE ->
            new Signed(Fixtures.withBadSignature(Transaction.sign(Fixtures.CHAIN_ID, from, nonce, payload)), false);
        case REPEAT -> signed.isEmpty()
            ? new Signed(Transaction.sign("elsewhere", from, nonce, payload), true)
            : signed.get(0);
      };
      signed.add(tx);
    }
    return signed;
  }

  /**
   * The builder's rule written as plainly as possible, with its own account model: balances and nonces of the
   * senders, transfers only (all senders are members, the recipient is never the sender, balances stay far
   * from overflow, and blocks stay far below the size and count limits).
   */
  private static final class ReferenceBuilder {
    record Outcome(List<Transaction> included, List<ReceiptCode> codes) {}

    private final Map<PublicKey, Long> nonces = new HashMap<>();
    private final Map<PublicKey, Long> balances = new HashMap<>();

    ReferenceBuilder() {
      for (KeyPair key : SENDERS) {
        balances.put(key.publicKey(), INITIAL_BALANCE);
      }
    }

    Outcome build(List<Signed> candidates) {
      List<Transaction> included = new ArrayList<>();
      List<ReceiptCode> codes = new ArrayList<>();
      Set<Hash> taken = new HashSet<>();
      for (Signed candidate : candidates) {
        Transaction tx = candidate.tx();
        boolean takeable = tx.chainId().equals(Fixtures.CHAIN_ID)
            && !taken.contains(tx.id())
            && tx.nonce() == nonce(tx.sender())
            && candidate.signedBySender();
        if (!takeable) {
          continue;
        }
        taken.add(tx.id());
        included.add(tx);
        nonces.put(tx.sender(), tx.nonce() + 1);
        Payload.Transfer transfer = (Payload.Transfer) tx.payload();
        PublicKey to = recipientOf(transfer);
        if (balance(tx.sender()) < transfer.amount()) {
          codes.add(ReceiptCode.INSUFFICIENT_BALANCE);
        } else {
          balances.put(tx.sender(), balance(tx.sender()) - transfer.amount());
          balances.put(to, balance(to) + transfer.amount());
          codes.add(ReceiptCode.OK);
        }
      }
      return new Outcome(included, codes);
    }

    long nonce(PublicKey sender) {
      return nonces.getOrDefault(sender, 0L);
    }

    long balance(PublicKey account) {
      return balances.getOrDefault(account, 0L);
    }

    private static PublicKey recipientOf(Payload.Transfer transfer) {
      return SENDERS.stream()
          .filter(k -> k.address().equals(transfer.to()))
          .map(KeyPair::publicKey)
          .findFirst()
          .orElseThrow();
    }
  }

  @Provide
  Arbitrary<List<List<Candidate>>> candidateLists() {
    Arbitrary<Flaw> flaws = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.just(Flaw.NONE)),
        Tuple.of(1, Arbitraries.of(Flaw.class)));
    Arbitrary<Candidate> candidate = Combinators.combine(
            Arbitraries.integers().between(0, SENDERS.size() - 1), flaws, Arbitraries.longs().between(1, 600))
        .as(Candidate::new);
    return candidate.list().ofMaxSize(12).list().ofMinSize(1).ofMaxSize(3);
  }
}
