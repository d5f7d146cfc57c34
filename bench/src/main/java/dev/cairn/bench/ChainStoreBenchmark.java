package dev.cairn.bench;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.execution.BlockExecutor;
import dev.cairn.ledger.execution.BlockLimits;
import dev.cairn.ledger.execution.ExecutedBlock;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.CommitSeal;
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
import dev.cairn.ledger.store.Retention;
import dev.cairn.ledger.store.StoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The RocksDB chain store: committing a finalized block of {@code txsPerBlock} transfers (header, body,
 * certificate, indexes, receipts, new tree nodes, flat-state writes, head pointer: one synced batch), and
 * reading an account from the flat state versus walking the stored tree. Blocks are built once by the real
 * {@link BlockExecutor}; each measured iteration commits {@link #BLOCKS} of them on a fresh store, so the
 * score is the time of {@link #BLOCKS} commits (divide for one). The synced WAL makes the disk's fsync
 * latency part of every commit: run it on the disk a node would use.
 */
@Fork(value = 1, jvmArgs = {"-Xmx4g", "--enable-native-access=ALL-UNNAMED"})
public class ChainStoreBenchmark {
  static final int BLOCKS = 20;
  private static final String CHAIN_ID = "cairn-bench";
  private static final int VALIDATORS = 4;

  /** A chain of {@link #BLOCKS} executed, certified blocks on a genesis of {@code accounts} funded accounts. */
  @State(Scope.Benchmark)
  public static class Chain {
    @Param({"10000"})
    public int accounts;

    @Param({"100", "1000"})
    public int txsPerBlock;

    ExecutedBlock genesis;
    final List<ExecutedBlock> blocks = new ArrayList<>();
    final List<CommitCertificate> certificates = new ArrayList<>();
    List<KeyPair> keys;

    @Setup(Level.Trial)
    public void build() {
      List<KeyPair> validatorKeys = new ArrayList<>();
      for (int i = 0; i < VALIDATORS; i++) {
        validatorKeys.add(KeyPair.fromSeedText("bench-validator-" + i));
      }
      ValidatorSet validators = new ValidatorSet(validatorKeys.stream().map(KeyPair::publicKey).toList());
      keys = new ArrayList<>(accounts);
      TreeMap<Hash, Optional<Bytes>> writes = new TreeMap<>();
      Bytes funded = Bytes.wrap(LedgerCodec.encode(new Account(1_000_000_000L, 0, Set.of(Role.MEMBER))));
      for (int i = 0; i < accounts; i++) {
        KeyPair key = KeyPair.fromSeedText("bench-account-" + i);
        keys.add(key);
        writes.put(StateKeys.account(key.address()), Optional.of(funded));
      }
      writes.put(StateKeys.VALIDATOR_SET, Optional.of(Bytes.wrap(LedgerCodec.encode(validators))));
      MemoryNodeStore nodes = new MemoryNodeStore();
      StateChanges changes = new StateChanges(writes);
      TreeUpdate genesisTree = new SparseMerkleTree(nodes, SparseMerkleTree.EMPTY_ROOT).apply(changes);
      nodes.putAll(genesisTree);
      BlockHeader header = new BlockHeader(0, Hash.ZERO, 1_700_000_000_000L, validators.proposer(0, 0), 0,
          MerkleRoot.ofTransactions(List.of()), MerkleRoot.ofReceipts(List.of()), genesisTree.root(), validators.hash());
      genesis = new ExecutedBlock(new Block(header, List.of()), List.of(), changes, genesisTree, validators);
      BlockExecutor executor = new BlockExecutor(CHAIN_ID, BlockLimits.CODEC_MAX, (id, tx) -> true);
      Random random = new Random(1);
      long[] nonces = new long[accounts];
      BlockHeader parent = header;
      for (int b = 0; b < BLOCKS; b++) {
        List<Transaction> txs = new ArrayList<>(txsPerBlock);
        for (int t = 0; t < txsPerBlock; t++) {
          int from = random.nextInt(accounts);
          int to = random.nextInt(accounts);
          txs.add(Transaction.sign(CHAIN_ID, keys.get(from), nonces[from]++,
              new Payload.Transfer(keys.get(to).address(), 1 + random.nextInt(100))));
        }
        SparseMerkleTree tree = new SparseMerkleTree(nodes, parent.stateRoot());
        ExecutedBlock executed = executor.build(parent, tree, tree, validators, txs,
            validators.proposer(parent.height() + 1, 0), 0, parent.timestampMillis() + 1000);
        nodes.putAll(executed.treeUpdate());
        Hash hash = executed.block().hash();
        List<CommitSeal> seals = new ArrayList<>();
        for (KeyPair key : validatorKeys.subList(0, validators.quorum())) {
          seals.add(CommitSeal.sign(key, hash));
        }
        blocks.add(executed);
        certificates.add(new CommitCertificate(hash, seals));
        parent = executed.block().header();
      }
    }
  }

  /**
   * A fresh store holding only genesis, per measured iteration; {@code retainState} > 0 is a state-pruning
   * store (each commit also records the nodes it replaced and looks up revived ones; nothing is pruned here).
   */
  @State(Scope.Benchmark)
  public static class FreshStore {
    @Param({"0", "100"})
    public long retainState;

    Path dir;
    ChainStore store;
    int next;

    @Setup(Level.Iteration)
    public void open(Chain chain) throws IOException {
      dir = Files.createTempDirectory("cairn-bench-store");
      store = ChainStore.open(dir, StoreConfig.DEFAULTS.withRetention(new Retention(0, retainState)));
      store.commit(chain.genesis, new CommitCertificate(chain.genesis.block().hash(), List.of()));
      next = 0;
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
      store.close();
      delete(dir);
    }
  }

  /** A store holding the whole chain, for reads. */
  @State(Scope.Benchmark)
  public static class FilledStore {
    Path dir;
    ChainStore store;
    List<Hash> accountKeys;
    Hash root;
    final Random random = new Random(2);

    @Setup(Level.Trial)
    public void fill(Chain chain) throws IOException {
      dir = Files.createTempDirectory("cairn-bench-store");
      store = ChainStore.open(dir, StoreConfig.DEFAULTS);
      store.commit(chain.genesis, new CommitCertificate(chain.genesis.block().hash(), List.of()));
      for (int i = 0; i < BLOCKS; i++) {
        store.commit(chain.blocks.get(i), chain.certificates.get(i));
      }
      root = store.head().orElseThrow().stateRoot();
      accountKeys = chain.keys.stream().map(key -> StateKeys.account(key.address())).toList();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      store.close();
      delete(dir);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2, batchSize = BLOCKS)
  @Measurement(iterations = 5, batchSize = BLOCKS)
  public void commitBlocks(Chain chain, FreshStore fresh) {
    int i = fresh.next++;
    fresh.store.commit(chain.blocks.get(i), chain.certificates.get(i));
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 2, time = 2)
  @Measurement(iterations = 3, time = 2)
  public Optional<Bytes> readFlatState(FilledStore filled) {
    return filled.store.state().get(filled.accountKeys.get(filled.random.nextInt(filled.accountKeys.size())));
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 2, time = 2)
  @Measurement(iterations = 3, time = 2)
  public Optional<Bytes> readThroughTree(FilledStore filled) {
    return new SparseMerkleTree(filled.store.nodes(), filled.root)
        .get(filled.accountKeys.get(filled.random.nextInt(filled.accountKeys.size())));
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
