package dev.cairn.node.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.execution.ExecutedBlock;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.MerkleRoot;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.MemoryNodeStore;
import dev.cairn.ledger.state.SparseMerkleTree;
import dev.cairn.ledger.state.StateChanges;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.state.TreeUpdate;
import dev.cairn.ledger.store.ChainStore;
import dev.cairn.ledger.store.StoreConfig;
import dev.cairn.mempool.Mempool;
import dev.cairn.mempool.MempoolConfig;
import dev.cairn.mempool.SignatureCache;
import dev.cairn.rpc.TransactionSubmitter.RejectionReason;
import dev.cairn.rpc.TransactionSubmitter.Submission;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JSON-RPC batch's transactions are decoded once ({@link MempoolSubmitter#prepare} keeps the decodings for
 * the submits that follow): every answer (ids, reasons, details, what is relayed) equals what submitting the
 * same bytes one by one, each decoded on its own, gives, for a batch mixing good transactions with every kind
 * of hostile or refused one. Against a real store's head state.
 */
class MempoolSubmitterBatchTest {
  private static final String CHAIN = "submit-chain";
  private final KeyPair alice = KeyPair.fromSeedText("alice");
  private final KeyPair bob = KeyPair.fromSeedText("bob");
  private final KeyPair carol = KeyPair.fromSeedText("carol");
  private final KeyPair outsider = KeyPair.fromSeedText("outsider");

  @TempDir
  Path dir;

  private ChainStore store;

  @BeforeEach
  void openStoreWithGenesis() {
    KeyPair validator = KeyPair.fromSeedText("validator");
    ValidatorSet validators = new ValidatorSet(List.of(validator.publicKey()));
    TreeMap<Hash, Optional<Bytes>> writes = new TreeMap<>();
    writes.put(StateKeys.account(alice.address()), account(1_000, 0));
    writes.put(StateKeys.account(bob.address()), account(50, 4));
    writes.put(StateKeys.account(carol.address()), account(10, 0));
    writes.put(StateKeys.VALIDATOR_SET, Optional.of(Bytes.wrap(LedgerCodec.encode(validators))));
    StateChanges changes = new StateChanges(writes);
    TreeUpdate tree = new SparseMerkleTree(new MemoryNodeStore(), SparseMerkleTree.EMPTY_ROOT).apply(changes);
    BlockHeader header = new BlockHeader(0, Hash.ZERO, 1_700_000_000_000L, validators.proposer(0, 0), 0,
        MerkleRoot.ofTransactions(List.of()), MerkleRoot.ofReceipts(List.of()), tree.root(), validators.hash());
    ExecutedBlock genesis = new ExecutedBlock(new Block(header, List.of()), List.of(), changes, tree, validators);
    store = ChainStore.open(dir.resolve("chain"), StoreConfig.DEFAULTS);
    store.commit(genesis, new CommitCertificate(genesis.block().hash(), List.of()));
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private static Optional<Bytes> account(long balance, long nonce) {
    return Optional.of(Bytes.wrap(LedgerCodec.encode(new Account(balance, nonce, Set.of(Role.MEMBER)))));
  }

  private Bytes transfer(String chain, KeyPair from, long nonce, long amount) {
    return TransactionCodec.encode(Transaction.sign(chain, from, nonce, new Payload.Transfer(carol.address(), amount)));
  }

  /** Good transfers, in-batch duplicates, and one of every refusal, hostile bytes included. */
  private List<Bytes> mixedBatch() {
    Bytes good = transfer(CHAIN, alice, 0, 10);
    Bytes valid = transfer(CHAIN, alice, 1, 20);
    Transaction signed = Transaction.sign(CHAIN, alice, 2, new Payload.Transfer(carol.address(), 1));
    Bytes forged = TransactionCodec.encode(
        new Transaction(CHAIN, alice.publicKey(), 2, new Payload.Transfer(carol.address(), 2), signed.signature()));
    byte[] trailing = new byte[valid.size() + 1];
    System.arraycopy(valid.unsafeArray(), 0, trailing, 0, valid.size());
    byte[] garbage = new byte[180];
    new Random(20).nextBytes(garbage);
    List<Bytes> batch = new ArrayList<>();
    batch.add(good);
    batch.add(Bytes.wrap(good.toArray())); // the same transaction twice in one batch
    batch.add(valid);
    batch.add(Bytes.of(new byte[] {1, 2, 3}));
    batch.add(Bytes.wrap(garbage));
    batch.add(valid.slice(0, valid.size() - 1)); // truncated
    batch.add(Bytes.wrap(trailing)); // one byte past the transaction
    batch.add(Bytes.EMPTY);
    batch.add(transfer("other-chain", alice, 3, 1));
    batch.add(forged);
    batch.add(transfer(CHAIN, outsider, 0, 1));
    batch.add(transfer(CHAIN, bob, 3, 1)); // nonce too low
    batch.add(transfer(CHAIN, bob, 9_999_999, 1)); // gap too large
    batch.add(transfer(CHAIN, bob, 4, 40));
    batch.add(transfer(CHAIN, bob, 5, 40)); // balance 50 cannot cover 40 + 40
    batch.add(transfer(CHAIN, carol, 0, 10));
    batch.add(transfer(CHAIN, alice, 1, 99)); // another transaction with a pending nonce
    return batch;
  }

  private record Relayed(Hash id, Bytes bytes) {}

  private record Run(List<Submission> answers, List<Relayed> relayed, int pending) {}

  private Run oneByOne(List<Bytes> batch) {
    List<Relayed> relayed = new ArrayList<>();
    Mempool mempool = new Mempool(CHAIN, MempoolConfig.DEFAULT, new SignatureCache(1_000));
    MempoolSubmitter submitter = new MempoolSubmitter(mempool, store, (id, bytes) -> relayed.add(new Relayed(id, bytes)));
    List<Submission> answers = new ArrayList<>();
    for (Bytes one : batch) {
      answers.add(submitter.submit(Bytes.wrap(one.toArray())));
    }
    return new Run(answers, relayed, mempool.size());
  }

  private Run prepared(List<Bytes> batch) {
    List<Relayed> relayed = new ArrayList<>();
    Mempool mempool = new Mempool(CHAIN, MempoolConfig.DEFAULT, new SignatureCache(1_000));
    MempoolSubmitter submitter = new MempoolSubmitter(mempool, store, (id, bytes) -> relayed.add(new Relayed(id, bytes)));
    submitter.prepare(batch);
    List<Submission> answers = new ArrayList<>();
    for (Bytes one : batch) {
      // Each RPC call parses its own copy of the bytes from hex: found by content, not identity.
      answers.add(submitter.submit(Bytes.wrap(one.toArray())));
    }
    submitter.release();
    return new Run(answers, relayed, mempool.size());
  }

  @Test
  void aPreparedBatchAnswersExactlyAsSubmittingEachOnItsOwn() {
    List<Bytes> batch = mixedBatch();
    Run alone = oneByOne(batch);
    Run together = prepared(batch);
    assertThat(together).isEqualTo(alone);
    // The batch holds each kind of answer, so the comparison covers them all.
    assertThat(alone.answers()).filteredOn(Submission.Accepted.class::isInstance).hasSize(4);
    assertThat(alone.answers().stream().filter(Submission.Rejected.class::isInstance)
        .map(a -> ((Submission.Rejected) a).reason()))
        .contains(RejectionReason.DUPLICATE, RejectionReason.MALFORMED, RejectionReason.WRONG_CHAIN_ID,
            RejectionReason.BAD_SIGNATURE, RejectionReason.NOT_A_MEMBER, RejectionReason.NONCE_TOO_LOW,
            RejectionReason.NONCE_GAP_TOO_LARGE, RejectionReason.INSUFFICIENT_BALANCE,
            RejectionReason.NONCE_ALREADY_PENDING);
    assertThat(((Submission.Accepted) alone.answers().get(0)).txId())
        .isEqualTo(Transaction.sign(CHAIN, alice, 0, new Payload.Transfer(carol.address(), 10)).id());
  }

  @Test
  void hostileBytesGetTheSameSpecificMalformedDetailEitherWay() {
    List<Bytes> batch = mixedBatch();
    Run alone = oneByOne(batch);
    Run together = prepared(batch);
    for (int i = 3; i <= 7; i++) {
      Submission.Rejected rejected = (Submission.Rejected) together.answers().get(i);
      assertThat(rejected.reason()).isEqualTo(RejectionReason.MALFORMED);
      assertThat(rejected.detail()).isNotBlank().isEqualTo(((Submission.Rejected) alone.answers().get(i)).detail());
    }
  }

  @Test
  void aBatchCutShortLeavesNothingBehindForLaterSubmits() throws Exception {
    List<Bytes> batch = mixedBatch();
    Mempool mempool = new Mempool(CHAIN, MempoolConfig.DEFAULT, new SignatureCache(1_000));
    MempoolSubmitter submitter = new MempoolSubmitter(mempool, store, (id, bytes) -> {});
    submitter.prepare(batch);
    assertThat(submitter.submit(batch.get(0))).isInstanceOf(Submission.Accepted.class);
    submitter.release(); // the rest of the batch was refused unrun
    // Later calls, on this thread and another, decode for themselves and answer as before.
    assertThat(submitter.submit(batch.get(2))).isEqualTo(oneByOne(List.of(batch.get(2))).answers().get(0));
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      Submission fromOther = other.submit(() -> submitter.submit(batch.get(9))).get();
      assertThat(fromOther).isEqualTo(oneByOne(List.of(batch.get(9))).answers().get(0));
    } finally {
      other.shutdownNow();
    }
    assertThat(mempool.size()).isEqualTo(2);
  }
}
