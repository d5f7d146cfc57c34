package dev.cairn.bench;

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
import dev.cairn.node.rpc.MempoolSubmitter;
import dev.cairn.rpc.TransactionSubmitter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JSON-RPC submit path below the JSON: a batch of {@link #BATCH} signed transfers (one per sender)
 * through {@link MempoolSubmitter#prepare} and then {@link MempoolSubmitter#submit} one by one into an empty
 * mempool, against a real store's head state, as a cairn_sendTransaction batch runs them. The signature
 * cache already holds every transaction (verified in setup), so the Ed25519 work, which is the same either
 * way, is left out and what remains is decoding, hashing, sender derivation, the state reads and admission.
 * Per transaction.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SubmitPathBenchmark {
  static final int BATCH = 100;
  private static final String CHAIN_ID = "cairn-bench";

  private Path dir;
  private ChainStore store;
  private SignatureCache signatures;
  private List<Bytes> batch;
  /** The same transactions as other objects: each RPC call parses its own copy of the bytes from hex. */
  private List<Bytes> calls;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    KeyPair validator = KeyPair.fromSeedText("bench-validator");
    ValidatorSet validators = new ValidatorSet(List.of(validator.publicKey()));
    TreeMap<Hash, Optional<Bytes>> writes = new TreeMap<>();
    Bytes funded = Bytes.wrap(LedgerCodec.encode(new Account(1_000_000_000L, 0, Set.of(Role.MEMBER))));
    List<KeyPair> keys = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      KeyPair key = KeyPair.fromSeedText("bench-account-" + i);
      keys.add(key);
      writes.put(StateKeys.account(key.address()), Optional.of(funded));
    }
    writes.put(StateKeys.VALIDATOR_SET, Optional.of(Bytes.wrap(LedgerCodec.encode(validators))));
    MemoryNodeStore nodes = new MemoryNodeStore();
    StateChanges changes = new StateChanges(writes);
    TreeUpdate tree = new SparseMerkleTree(nodes, SparseMerkleTree.EMPTY_ROOT).apply(changes);
    BlockHeader header = new BlockHeader(0, Hash.ZERO, 1_700_000_000_000L, validators.proposer(0, 0), 0,
        MerkleRoot.ofTransactions(List.of()), MerkleRoot.ofReceipts(List.of()), tree.root(), validators.hash());
    ExecutedBlock genesis = new ExecutedBlock(new Block(header, List.of()), List.of(), changes, tree, validators);
    dir = Files.createTempDirectory("cairn-bench-submit");
    store = ChainStore.open(dir, StoreConfig.DEFAULTS);
    store.commit(genesis, new CommitCertificate(genesis.block().hash(), List.of()));
    batch = new ArrayList<>(BATCH);
    List<Hash> ids = new ArrayList<>(BATCH);
    List<Transaction> txs = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      Transaction tx = Transaction.sign(CHAIN_ID, keys.get(i), 0,
          new Payload.Transfer(keys.get((i + 1) % BATCH).address(), 1 + i));
      Bytes encoded = TransactionCodec.encode(tx);
      batch.add(encoded);
      ids.add(TransactionCodec.id(encoded));
      txs.add(tx);
    }
    calls = batch.stream().map(b -> Bytes.wrap(b.toArray())).toList();
    signatures = new SignatureCache(10 * BATCH);
    signatures.preverify(ids, txs);
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int prepareAndSubmit() {
    Mempool mempool = new Mempool(CHAIN_ID, MempoolConfig.DEFAULT, signatures);
    MempoolSubmitter submitter = new MempoolSubmitter(mempool, store, (id, bytes) -> {});
    submitter.prepare(batch);
    int accepted = 0;
    for (Bytes encoded : calls) {
      if (submitter.submit(encoded) instanceof TransactionSubmitter.Submission.Accepted) {
        accepted++;
      }
    }
    if (accepted != BATCH) {
      throw new IllegalStateException("accepted " + accepted + " of " + BATCH);
    }
    return accepted;
  }
}
