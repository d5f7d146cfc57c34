package dev.cairn.ledger.execution;

import static dev.cairn.ledger.testing.Fixtures.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.execution.BlockCheck.Reason;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.MerkleRoot;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.ReceiptCode;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.testing.Fixtures;
import dev.cairn.ledger.testing.MemoryState;
import dev.cairn.ledger.testing.TestChain;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BlockExecutorTest {
  private static final KeyPair ALICE = key("alice");
  private static final KeyPair BOB = key("bob");
  private static final Hash JUNK = Hash.fromHex("ab".repeat(32));

  /** A block over {@code txs} whose header is right in everything checked before execution. */
  private static Block blockOver(TestChain chain, List<Transaction> txs) {
    BlockHeader h = chain.propose(List.of()).block().header();
    return new Block(edit(h).txRoot(MerkleRoot.ofTransactions(txs)).build(), txs);
  }

  private static String reasonOf(TestChain chain, Block block) {
    BlockCheck check = chain.validate(block);
    assertThat(check).isInstanceOf(BlockCheck.Invalid.class);
    assertThat(check.toValidation().isValid()).isFalse();
    return ((BlockCheck.Invalid) check).reason();
  }

  private static final Map<Reason, Supplier<String>> SCENARIOS = new EnumMap<>(Reason.class);

  static {
    SCENARIOS.put(Reason.WRONG_HEIGHT, () -> headerScenario(e -> e.height(e.height + 1)));
    SCENARIOS.put(Reason.WRONG_PARENT, () -> headerScenario(e -> e.parentHash(JUNK)));
    SCENARIOS.put(Reason.TIMESTAMP_BEFORE_PARENT, () -> headerScenario(e -> e.timestamp(e.timestamp - 2 * TestChain.BLOCK_INTERVAL_MILLIS)));
    SCENARIOS.put(Reason.PROPOSER_NOT_VALIDATOR, () -> headerScenario(e -> e.proposer(ALICE.publicKey())));
    SCENARIOS.put(Reason.WRONG_VALIDATOR_SET, () -> headerScenario(e -> e.validatorSetHash(JUNK)));
    SCENARIOS.put(Reason.WRONG_TX_ROOT, () -> headerScenario(e -> e.txRoot(JUNK)));
    SCENARIOS.put(Reason.WRONG_RECEIPTS_ROOT, () -> headerScenario(e -> e.receiptsRoot(JUNK)));
    SCENARIOS.put(Reason.WRONG_STATE_ROOT, () -> headerScenario(e -> e.stateRoot(JUNK)));
    SCENARIOS.put(Reason.TOO_MANY_TRANSACTIONS, () -> {
      TestChain chain = TestChain.create(4, funded(), new BlockLimits(1, 1_000_000));
      return reasonOf(chain, blockOver(chain, List.of(chain.transfer(ALICE, BOB.address(), 1), chain.transfer(ALICE, BOB.address(), 1))));
    });
    SCENARIOS.put(Reason.BLOCK_TOO_LARGE, () -> {
      TestChain chain = TestChain.create(4, funded(), new BlockLimits(10, 400));
      return reasonOf(chain, blockOver(chain, List.of(chain.transfer(ALICE, BOB.address(), 1), chain.transfer(ALICE, BOB.address(), 1))));
    });
    SCENARIOS.put(Reason.WRONG_CHAIN_ID, () -> {
      TestChain chain = TestChain.standard();
      Transaction other = Transaction.sign("other-chain", ALICE, 0, new Payload.Transfer(BOB.address(), 1));
      return reasonOf(chain, blockOver(chain, List.of(other)));
    });
    SCENARIOS.put(Reason.DUPLICATE_TRANSACTION, () -> {
      TestChain chain = TestChain.standard();
      Transaction tx = chain.transfer(ALICE, BOB.address(), 1);
      return reasonOf(chain, blockOver(chain, List.of(tx, tx)));
    });
    SCENARIOS.put(Reason.BAD_SIGNATURE, () -> {
      TestChain chain = TestChain.standard();
      return reasonOf(chain, blockOver(chain, List.of(Fixtures.withBadSignature(chain.transfer(ALICE, BOB.address(), 1)))));
    });
    SCENARIOS.put(Reason.WRONG_NONCE, () -> {
      TestChain chain = TestChain.standard();
      return reasonOf(chain, blockOver(chain, List.of(Fixtures.transfer(ALICE, 1, BOB.address(), 1))));
    });
    SCENARIOS.put(Reason.NONCE_EXHAUSTED, () -> {
      TestChain chain = TestChain.create(4, new MemoryState().put(ALICE.address(), new Account(10, Long.MAX_VALUE, Set.of(Role.MEMBER))));
      return reasonOf(chain, blockOver(chain, List.of(Fixtures.transfer(ALICE, Long.MAX_VALUE, BOB.address(), 1))));
    });
  }

  private static MemoryState funded() {
    return new MemoryState().account(ALICE, 1_000, Role.MEMBER).account(BOB, 1_000, Role.MEMBER);
  }

  /** Builds a valid one-transfer block, edits its header, and returns the reason validation gives. */
  private static String headerScenario(java.util.function.Consumer<HeaderEdit> change) {
    TestChain chain = TestChain.standard();
    chain.advance(List.of(chain.transfer(ALICE, BOB.address(), 5)));
    Block valid = chain.propose(List.of(chain.transfer(ALICE, BOB.address(), 7))).block();
    HeaderEdit edit = edit(valid.header());
    change.accept(edit);
    return reasonOf(chain, new Block(edit.build(), valid.transactions()));
  }

  @ParameterizedTest
  @EnumSource(Reason.class)
  void everyInvalidReason(Reason reason) {
    assertThat(SCENARIOS).as("a scenario for " + reason).containsKey(reason);
    assertThat(SCENARIOS.get(reason).get()).isEqualTo(reason.code());
  }

  @Test
  void reasonCodesAreUniqueSnakeCase() {
    Set<String> codes = new java.util.HashSet<>();
    for (Reason reason : Reason.values()) {
      assertThat(reason.code()).matches("[a-z]+(_[a-z]+)*");
      assertThat(codes.add(reason.code())).isTrue();
    }
  }

  @Test
  void aBuiltBlockValidatesToTheSameExecution() {
    TestChain chain = TestChain.standard();
    ExecutedBlock built = chain.propose(List.of(
        chain.transfer(ALICE, BOB.address(), 10),
        chain.sign(BOB, new Payload.RecordPut("k", dev.cairn.ledger.bytes.Bytes.of(new byte[] {1}))),
        chain.transfer(BOB, ALICE.address(), 2_000_000)));
    BlockCheck check = chain.validate(built.block());
    assertThat(check).isInstanceOf(BlockCheck.Valid.class);
    assertThat(check.toValidation().isValid()).isTrue();
    ExecutedBlock validated = ((BlockCheck.Valid) check).executed();
    assertThat(validated.receipts()).isEqualTo(built.receipts());
    assertThat(validated.stateChanges()).isEqualTo(built.stateChanges());
    assertThat(validated.treeUpdate().root()).isEqualTo(built.block().header().stateRoot());
    assertThat(built.receipts()).extracting(r -> r.code())
        .containsExactly(ReceiptCode.OK, ReceiptCode.OK, ReceiptCode.INSUFFICIENT_BALANCE);
    chain.commit(validated);
    assertThat(chain.account(ALICE.address())).isEqualTo(new Account(999_990, 1, Set.of(Role.MEMBER)));
    assertThat(chain.account(BOB.address()).nonce()).isEqualTo(2);
  }

  @Test
  void buildSkipsCandidatesThatWouldMakeTheBlockInvalid() {
    TestChain chain = TestChain.standard();
    Transaction good = chain.transfer(ALICE, BOB.address(), 1);
    Transaction gap = Fixtures.transfer(BOB, 5, ALICE.address(), 1);
    Transaction wrongChain = Transaction.sign("other", BOB, 0, new Payload.Transfer(ALICE.address(), 1));
    Transaction badSig = Fixtures.withBadSignature(Fixtures.transfer(BOB, 0, ALICE.address(), 2));
    Transaction afterGood = chain.transfer(ALICE, BOB.address(), 2);
    ExecutedBlock built = chain.propose(List.of(good, gap, wrongChain, badSig, good, afterGood));
    assertThat(built.block().transactions()).containsExactly(good, afterGood);
    assertThat(chain.validate(built.block())).isInstanceOf(BlockCheck.Valid.class);
  }

  @Test
  void buildRespectsTheLimitsAndSkipsTheSendersLaterNonces() {
    TestChain chain = TestChain.create(4, funded(), new BlockLimits(3, 1_000_000));
    List<Transaction> candidates = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      candidates.add(chain.transfer(ALICE, BOB.address(), 1));
    }
    ExecutedBlock built = chain.propose(candidates);
    assertThat(built.block().transactions()).containsExactlyElementsOf(candidates.subList(0, 3));

    long oneTxBlockBytes = dev.cairn.ledger.codec.LedgerCodec.encode(
        new Block(built.block().header(), candidates.subList(0, 1))).length;
    TestChain small = TestChain.create(4, funded(), new BlockLimits(10, oneTxBlockBytes));
    ExecutedBlock one = small.propose(List.of(
        small.transfer(ALICE, BOB.address(), 1), small.transfer(ALICE, BOB.address(), 1)));
    assertThat(one.block().transactions()).hasSize(1);
    assertThat(small.validate(one.block())).isInstanceOf(BlockCheck.Valid.class);
  }

  @Test
  void aProposerClockBehindTheParentStillBuildsAValidBlock() {
    TestChain chain = TestChain.standard();
    chain.advance(List.of());
    BlockHeader parent = chain.head();
    PublicKey proposer = chain.validators().proposer(parent.height() + 1, 0);
    ExecutedBlock built = chain.executor().build(parent, chain.tree(), chain.tree(), chain.validators(), List.of(),
        proposer, 0, parent.timestampMillis() - 5_000);
    assertThat(built.block().header().timestampMillis()).isEqualTo(parent.timestampMillis());
    assertThat(chain.validate(built.block())).isInstanceOf(BlockCheck.Valid.class);
  }

  @Test
  void buildingFromCandidatesWithKnownIdsGivesTheSameBlockAsBuildingFromTransactions() {
    TestChain chain = TestChain.standard();
    List<Transaction> txs = List.of(chain.transfer(ALICE, BOB.address(), 3), chain.transfer(BOB, ALICE.address(), 2),
        chain.transfer(ALICE, BOB.address(), 1));
    BlockHeader parent = chain.head();
    PublicKey proposer = chain.validators().proposer(parent.height() + 1, 0);
    long timestamp = parent.timestampMillis() + TestChain.BLOCK_INTERVAL_MILLIS;
    ExecutedBlock fromTxs = chain.executor().build(parent, chain.tree(), chain.tree(), chain.validators(), txs,
        proposer, 0, timestamp);
    List<Candidate> candidates = txs.stream().map(Candidate::of).toList();
    ExecutedBlock fromCandidates = chain.executor().buildFrom(parent, chain.tree(), chain.tree(), chain.validators(),
        candidates, proposer, 0, timestamp);
    assertThat(fromCandidates.block()).isEqualTo(fromTxs.block());
    assertThat(fromCandidates.receipts()).extracting(r -> r.txId()).containsExactlyElementsOf(
        candidates.stream().map(Candidate::id).toList());
    assertThat(chain.validate(fromCandidates.block())).isInstanceOf(BlockCheck.Valid.class);
  }

  @Test
  void aCandidateWhoseIdIsNotItsTransactionsGivesABlockPeersReject() {
    TestChain chain = TestChain.standard();
    Transaction tx = chain.transfer(ALICE, BOB.address(), 3);
    BlockHeader parent = chain.head();
    PublicKey proposer = chain.validators().proposer(parent.height() + 1, 0);
    Candidate wrongId = new Candidate(tx, JUNK, Candidate.of(tx).encodedBytes());
    ExecutedBlock built = chain.executor().buildFrom(parent, chain.tree(), chain.tree(), chain.validators(),
        List.of(wrongId), proposer, 0, parent.timestampMillis() + TestChain.BLOCK_INTERVAL_MILLIS);
    assertThat(reasonOf(chain, built.block())).isEqualTo(Reason.WRONG_TX_ROOT.code());
  }

  @Test
  void aLargeBlocksSignaturesAreCheckedInParallelAndTheFirstBadOneIsNamed() {
    TestChain chain = TestChain.create(4, new MemoryState().account(ALICE, 1_000_000, Role.MEMBER).account(BOB, 0, Role.MEMBER),
        new BlockLimits(10_000, 10_000_000));
    List<Transaction> txs = new ArrayList<>();
    int size = 4 * BlockExecutor.PARALLEL_SIGNATURE_CHECK_TXS_MIN;
    for (int nonce = 0; nonce < size; nonce++) {
      txs.add(Fixtures.transfer(ALICE, nonce, BOB.address(), 1));
    }
    BlockCheck allGood = chain.validate(blockOver(chain, txs));
    assertThat(allGood instanceof BlockCheck.Invalid i ? i.reason() : "valid")
        .as("all signatures good: execution decides (the test header's receipts root is wrong)")
        .isEqualTo(Reason.WRONG_RECEIPTS_ROOT.code());
    int firstBad = size / 2 + 7;
    txs.set(size - 3, Fixtures.withBadSignature(txs.get(size - 3)));
    txs.set(firstBad, Fixtures.withBadSignature(txs.get(firstBad)));
    for (int run = 0; run < 5; run++) {
      BlockCheck check = chain.validate(blockOver(chain, txs));
      assertThat(check).isInstanceOf(BlockCheck.Invalid.class);
      BlockCheck.Invalid invalid = (BlockCheck.Invalid) check;
      assertThat(invalid.reason()).isEqualTo(Reason.BAD_SIGNATURE.code());
      assertThat(invalid.detail()).startsWith("tx " + firstBad + " ");
    }
  }

  /** A signature check with a memory, as the node's: preverify batch-verifies and remembers valid ids. */
  static final class RememberingCheck implements SignatureCheck {
    final Set<Hash> valid = ConcurrentHashMap.newKeySet();
    final AtomicInteger batches = new AtomicInteger();

    @Override
    public boolean verify(Hash txId, Transaction tx) {
      if (valid.contains(txId)) {
        return true;
      }
      boolean ok = tx.hasValidSignature();
      if (ok) {
        valid.add(txId);
      }
      return ok;
    }

    @Override
    public void preverify(List<Hash> txIds, List<Transaction> txs) {
      batches.incrementAndGet();
      boolean[] ok = Transaction.verifySignatures(txs);
      for (int i = 0; i < ok.length; i++) {
        if (ok[i]) {
          valid.add(txIds.get(i));
        }
      }
    }
  }

  @Test
  void aLargeBlocksSignaturesAreBatchVerifiedAndTheFirstBadOneIsStillNamed() {
    RememberingCheck check = new RememberingCheck();
    TestChain chain = TestChain.create(4, new MemoryState().account(ALICE, 1_000_000, Role.MEMBER).account(BOB, 0, Role.MEMBER),
        new BlockLimits(10_000, 10_000_000), check);
    List<Transaction> txs = new ArrayList<>();
    int size = 4 * BlockExecutor.PARALLEL_SIGNATURE_CHECK_TXS_MIN;
    for (int nonce = 0; nonce < size; nonce++) {
      txs.add(Fixtures.transfer(ALICE, nonce, BOB.address(), 1));
    }
    int firstBad = 5;
    txs.set(size - 3, Fixtures.withBadSignature(txs.get(size - 3)));
    txs.set(firstBad, Fixtures.withBadSignature(txs.get(firstBad)));
    BlockCheck result = chain.validate(blockOver(chain, txs));
    assertThat(check.batches.get()).as("the block was verified in batches").isGreaterThan(1);
    assertThat(check.valid).hasSize(size - 2);
    assertThat(result).isInstanceOf(BlockCheck.Invalid.class);
    assertThat(((BlockCheck.Invalid) result).reason()).isEqualTo(Reason.BAD_SIGNATURE.code());
    assertThat(((BlockCheck.Invalid) result).detail()).startsWith("tx " + firstBad + " ");
  }

  @Test
  void validatorVotesChangeTheSetFromTheNextHeight() {
    TestChain chain = TestChain.standard();
    PublicKey newcomer = key("newcomer").publicKey();
    List<Transaction> votes = new ArrayList<>();
    for (KeyPair v : chain.validatorKeys().subList(0, 3)) {
      votes.add(chain.sign(v, new Payload.ValidatorVote(newcomer, Payload.VoteAction.ADD)));
    }
    ExecutedBlock block = chain.advance(votes);
    assertThat(block.block().header().validatorSetHash()).isNotEqualTo(block.nextValidators().hash());
    assertThat(chain.validators().contains(newcomer)).isTrue();
    ExecutedBlock next = chain.advance(List.of());
    assertThat(next.block().header().validatorSetHash()).isEqualTo(chain.validators().hash());
  }

  /** A mutable copy of a header's fields, to build invalid variants. */
  static final class HeaderEdit {
    long height;
    Hash parentHash;
    long timestamp;
    PublicKey proposer;
    int round;
    Hash txRoot;
    Hash receiptsRoot;
    Hash stateRoot;
    Hash validatorSetHash;

    HeaderEdit height(long v) { height = v; return this; }
    HeaderEdit parentHash(Hash v) { parentHash = v; return this; }
    HeaderEdit timestamp(long v) { timestamp = v; return this; }
    HeaderEdit proposer(PublicKey v) { proposer = v; return this; }
    HeaderEdit txRoot(Hash v) { txRoot = v; return this; }
    HeaderEdit receiptsRoot(Hash v) { receiptsRoot = v; return this; }
    HeaderEdit stateRoot(Hash v) { stateRoot = v; return this; }
    HeaderEdit validatorSetHash(Hash v) { validatorSetHash = v; return this; }

    BlockHeader build() {
      return new BlockHeader(height, parentHash, timestamp, proposer, round, txRoot, receiptsRoot, stateRoot, validatorSetHash);
    }
  }

  static HeaderEdit edit(BlockHeader h) {
    HeaderEdit e = new HeaderEdit();
    e.height = h.height();
    e.parentHash = h.parentHash();
    e.timestamp = h.timestampMillis();
    e.proposer = h.proposer();
    e.round = h.round();
    e.txRoot = h.txRoot();
    e.receiptsRoot = h.receiptsRoot();
    e.stateRoot = h.stateRoot();
    e.validatorSetHash = h.validatorSetHash();
    return e;
  }
}
