package dev.cairn.mempool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.execution.Candidate;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.state.StateReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MempoolTest {
  private static final String CHAIN = "test-chain";
  private final KeyPair alice = KeyPair.fromSeedText("alice");
  private final KeyPair bob = KeyPair.fromSeedText("bob");
  private final KeyPair carol = KeyPair.fromSeedText("carol");
  private final MapState state = new MapState();
  private final Mempool pool = new Mempool(CHAIN, new MempoolConfig(10, 1 << 20, 5, 3), new SignatureCache(1000));

  /** A plain map as the state: enough to exercise admission rules without the tree. */
  static final class MapState implements StateReader {
    final Map<Hash, Bytes> values = new HashMap<>();

    void put(KeyPair key, Account account) {
      values.put(StateKeys.account(key.address()), Bytes.wrap(LedgerCodec.encode(account)));
    }

    @Override
    public Optional<Bytes> get(Hash key) {
      return Optional.ofNullable(values.get(key));
    }
  }

  MempoolTest() {
    state.put(alice, new Account(1_000, 0, Set.of(Role.MEMBER)));
    state.put(bob, new Account(50, 4, Set.of(Role.MEMBER)));
  }

  private Bytes transfer(KeyPair from, long nonce, long amount) {
    return TransactionCodec.encode(Transaction.sign(CHAIN, from, nonce, new Payload.Transfer(carol.address(), amount)));
  }

  private Admission.Reason rejection(Admission admission) {
    assertThat(admission).isInstanceOf(Admission.Rejected.class);
    return ((Admission.Rejected) admission).reason();
  }

  /** Decoding once ({@link Mempool#decode}) and admitting the decoding answers as admitting the bytes does. */
  @Test
  void aDecodingIsAdmittedExactlyAsItsBytesAre() {
    Transaction good = Transaction.sign(CHAIN, alice, 0, new Payload.Transfer(carol.address(), 1));
    List<Bytes> inputs = List.of(transfer(alice, 0, 10), transfer(alice, 0, 10), Bytes.of(new byte[] {1, 2, 3}),
        Bytes.EMPTY,
        TransactionCodec.encode(Transaction.sign("other", alice, 1, new Payload.Transfer(carol.address(), 1))),
        TransactionCodec.encode(new Transaction(CHAIN, alice.publicKey(), 1, new Payload.Transfer(carol.address(), 2),
            good.signature())),
        transfer(carol, 0, 1), transfer(bob, 3, 1), transfer(bob, 4, 30), transfer(bob, 5, 30));
    Mempool byBytes = new Mempool(CHAIN, new MempoolConfig(10, 1 << 20, 5, 3), new SignatureCache(1000));
    Mempool byDecoding = new Mempool(CHAIN, new MempoolConfig(10, 1 << 20, 5, 3), new SignatureCache(1000));
    List<Mempool.Decoding> decodings = inputs.stream().map(byDecoding::decode).toList();
    byDecoding.preverifyDecoded(decodings);
    for (int i = 0; i < inputs.size(); i++) {
      assertThat(byDecoding.admit(decodings.get(i), state)).as("input %d", i).isEqualTo(byBytes.admit(inputs.get(i), state));
    }
    assertThat(byDecoding.rejectedCounts()).isEqualTo(byBytes.rejectedCounts());
    assertThat(byDecoding.acceptedCount()).isEqualTo(byBytes.acceptedCount()).isEqualTo(2);
  }

  @Test
  void admitsAValidTransferOnceAndRefusesTheDuplicate() {
    Bytes tx = transfer(alice, 0, 10);
    assertThat(pool.admit(tx, state)).isInstanceOf(Admission.Accepted.class);
    assertThat(rejection(pool.admit(tx, state))).isEqualTo(Admission.Reason.DUPLICATE);
    assertThat(pool.size()).isEqualTo(1);
    assertThat(pool.bytes()).isEqualTo(tx.size());
  }

  @Test
  void refusesEachKindOfBadTransactionWithItsReason() {
    assertThat(rejection(pool.admit(Bytes.of(new byte[] {1, 2, 3}), state))).isEqualTo(Admission.Reason.MALFORMED);
    Bytes otherChain =
        TransactionCodec.encode(Transaction.sign("other", alice, 0, new Payload.Transfer(carol.address(), 1)));
    assertThat(rejection(pool.admit(otherChain, state))).isEqualTo(Admission.Reason.WRONG_CHAIN_ID);
    Transaction good = Transaction.sign(CHAIN, alice, 0, new Payload.Transfer(carol.address(), 1));
    Transaction forged = new Transaction(CHAIN, alice.publicKey(), 0, new Payload.Transfer(carol.address(), 2), good.signature());
    assertThat(rejection(pool.admit(TransactionCodec.encode(forged), state))).isEqualTo(Admission.Reason.BAD_SIGNATURE);
    assertThat(rejection(pool.admit(transfer(carol, 0, 1), state))).isEqualTo(Admission.Reason.NOT_A_MEMBER);
    assertThat(rejection(pool.admit(transfer(bob, 3, 1), state))).isEqualTo(Admission.Reason.NONCE_TOO_LOW);
    assertThat(rejection(pool.admit(transfer(bob, 8, 1), state))).isEqualTo(Admission.Reason.NONCE_GAP_TOO_LARGE);
    assertThat(rejection(pool.admit(transfer(bob, 4, 51), state))).isEqualTo(Admission.Reason.INSUFFICIENT_BALANCE);
    assertThat(pool.size()).isZero();
  }

  @Test
  void pendingTransfersCountAgainstTheBalance() {
    assertThat(pool.admit(transfer(bob, 4, 30), state)).isInstanceOf(Admission.Accepted.class);
    assertThat(rejection(pool.admit(transfer(bob, 5, 21), state))).isEqualTo(Admission.Reason.INSUFFICIENT_BALANCE);
    assertThat(pool.admit(transfer(bob, 5, 20), state)).isInstanceOf(Admission.Accepted.class);
    assertThat(rejection(pool.admit(transfer(bob, 5, 1), state))).isEqualTo(Admission.Reason.NONCE_ALREADY_PENDING);
  }

  @Test
  void boundsPerSenderAndOverall() {
    for (int n = 0; n < 4; n++) {
      assertThat(pool.admit(transfer(alice, n, 1), state)).isInstanceOf(Admission.Accepted.class);
    }
    Mempool small = new Mempool(CHAIN, new MempoolConfig(2, 1 << 20, 2, 10), new SignatureCache(10));
    assertThat(small.admit(transfer(alice, 0, 1), state)).isInstanceOf(Admission.Accepted.class);
    assertThat(small.admit(transfer(alice, 1, 1), state)).isInstanceOf(Admission.Accepted.class);
    assertThat(rejection(small.admit(transfer(alice, 2, 1), state))).isEqualTo(Admission.Reason.SENDER_LIMIT);
    assertThat(rejection(small.admit(transfer(bob, 4, 1), state))).isEqualTo(Admission.Reason.MEMPOOL_FULL);
  }

  @Test
  void selectionTakesConsecutiveNoncesRoundRobinAndStopsAtGaps() {
    pool.admit(transfer(alice, 0, 1), state);
    pool.admit(transfer(alice, 1, 1), state);
    pool.admit(transfer(alice, 3, 1), state); // gap at 2: not executable yet
    pool.admit(transfer(bob, 4, 1), state);
    pool.admit(transfer(bob, 5, 1), state);
    List<Candidate> block = pool.selectForBlock(100, 1 << 20);
    assertThat(block).extracting(c -> c.tx().nonce()).containsExactly(0L, 4L, 1L, 5L);
    assertThat(pool.selectForBlock(3, 1 << 20)).hasSize(3);
  }

  @Test
  void commitRemovesIncludedAndRevalidatesTheRest() {
    pool.admit(transfer(alice, 0, 400), state);
    pool.admit(transfer(alice, 1, 400), state);
    pool.admit(transfer(bob, 4, 10), state);
    List<Candidate> block = pool.selectForBlock(1, 1 << 20);
    // The block spent alice's nonce 0; meanwhile her balance dropped so nonce 1 can no longer pay,
    // and bob lost his membership.
    state.put(alice, new Account(300, 1, Set.of(Role.MEMBER)));
    state.put(bob, new Account(50, 4, Set.of()));
    pool.onBlockCommitted(block.stream().map(Candidate::id).toList(), state);
    assertThat(pool.size()).isZero();
    assertThat(pool.bytes()).isZero();
  }

  @Test
  void selectedCandidatesCarryTheIdAndSizeOfTheAdmittedBytes() {
    Bytes first = transfer(alice, 0, 1);
    Bytes second = transfer(bob, 4, 2);
    pool.admit(first, state);
    pool.admit(second, state);
    List<Candidate> block = pool.selectForBlock(10, 1 << 20);
    assertThat(block).extracting(Candidate::id).containsExactly(TransactionCodec.id(first), TransactionCodec.id(second));
    assertThat(block).extracting(Candidate::encodedBytes).containsExactly(first.size(), second.size());
    assertThat(block).extracting(Candidate::tx)
        .containsExactly(TransactionCodec.decode(first), TransactionCodec.decode(second));
  }

  @Test
  void commitByIdsRemovesOnlyThoseIdsAndKeepsTheNextNonce() {
    Bytes first = transfer(alice, 0, 1);
    Bytes second = transfer(alice, 1, 1);
    pool.admit(first, state);
    pool.admit(second, state);
    state.put(alice, new Account(999, 1, Set.of(Role.MEMBER)));
    pool.onBlockCommitted(List.of(TransactionCodec.id(first)), state);
    assertThat(pool.contains(TransactionCodec.id(first))).isFalse();
    assertThat(pool.contains(TransactionCodec.id(second))).isTrue();
    assertThat(pool.bytes()).isEqualTo(second.size());
    assertThat(pool.selectForBlock(10, 1 << 20)).extracting(Candidate::id).containsExactly(TransactionCodec.id(second));
    // An id the pool never held (a tx admitted elsewhere and committed) changes nothing.
    pool.onBlockCommitted(List.of(Hash.fromHex("cd".repeat(32))), state);
    assertThat(pool.size()).isEqualTo(1);
  }

  @Test
  void signatureIsVerifiedOncePerTransaction() {
    SignatureCache cache = new SignatureCache(10);
    Mempool counted = new Mempool(CHAIN, MempoolConfig.DEFAULT, cache);
    Bytes tx = transfer(alice, 0, 1);
    counted.admit(tx, state);
    assertThat(cache.isVerified(TransactionCodec.id(tx))).isTrue();
  }

  @Test
  void preverifyRemembersValidSignaturesOnlyAndAdmitsNothing() {
    SignatureCache cache = new SignatureCache(100);
    Mempool batched = new Mempool(CHAIN, MempoolConfig.DEFAULT, cache);
    Bytes good = transfer(alice, 0, 1);
    Bytes alsoGood = transfer(bob, 4, 1);
    Transaction signed = Transaction.sign(CHAIN, alice, 1, new Payload.Transfer(carol.address(), 2));
    // Alice's transaction carrying Bob's signature over something else: well-formed, badly signed.
    Transaction forged = new Transaction(CHAIN, alice.publicKey(), 1, signed.payload(),
        Transaction.sign(CHAIN, bob, 9, new Payload.Transfer(carol.address(), 2)).signature());
    Bytes bad = TransactionCodec.encode(forged);
    Bytes otherChain = TransactionCodec.encode(Transaction.sign("other", alice, 0, new Payload.Transfer(carol.address(), 1)));
    Bytes malformed = Bytes.wrap(new byte[] {1, 2, 3});

    batched.preverify(List.of(good, bad, malformed, otherChain, alsoGood));

    assertThat(batched.size()).isZero();
    assertThat(cache.isVerified(TransactionCodec.id(good))).isTrue();
    assertThat(cache.isVerified(TransactionCodec.id(alsoGood))).isTrue();
    assertThat(cache.isVerified(TransactionCodec.id(bad))).isFalse();
    assertThat(cache.isVerified(TransactionCodec.id(otherChain))).isFalse();
    // The bad signature is still refused by admission itself, the good one admitted from the cache.
    assertThat(rejection(batched.admit(bad, state))).isEqualTo(Admission.Reason.BAD_SIGNATURE);
    assertThat(batched.admit(good, state)).isInstanceOf(Admission.Accepted.class);
  }

  @Test
  void aPreverifiedBatchIsAdmittedInFull() {
    SignatureCache cache = new SignatureCache(100);
    Mempool batched = new Mempool(CHAIN, MempoolConfig.DEFAULT, cache);
    List<Bytes> batch = List.of(transfer(alice, 0, 1), transfer(alice, 1, 1), transfer(alice, 2, 1), transfer(bob, 4, 1));
    batched.preverify(batch);
    assertThat(cache.size()).isEqualTo(4);
    for (Bytes tx : batch) {
      assertThat(batched.admit(tx, state)).isInstanceOf(Admission.Accepted.class);
    }
    assertThat(batched.size()).isEqualTo(4);
  }

  @Test
  void nextNonceCountsContiguousPendingTransactionsOnly() {
    assertThat(pool.nextNonce(alice.address(), 0)).as("nothing pending").isEqualTo(0);
    pool.admit(transfer(alice, 0, 1), state);
    pool.admit(transfer(alice, 1, 1), state);
    assertThat(pool.nextNonce(alice.address(), 0)).isEqualTo(2);
    pool.admit(transfer(alice, 3, 1), state);
    assertThat(pool.nextNonce(alice.address(), 0)).as("nonce 2 is a gap: fill it first").isEqualTo(2);
    assertThat(pool.nextNonce(bob.address(), 4)).as("other senders unaffected").isEqualTo(4);
  }
}
