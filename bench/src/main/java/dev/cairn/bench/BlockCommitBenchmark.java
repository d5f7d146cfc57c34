package dev.cairn.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.Address;
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
import dev.cairn.ledger.store.StoreConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
 * The ledger-core target: one block of 5,000 transfers (5,000 senders, random recipients) on a state of
 * {@code accounts} accounts in the RocksDB chain store, built by the proposer (execution against the flat
 * state, tree update through the store's node cache) and committed (one batch, synced WAL). Each iteration
 * is one block on top of the previous one, so the node cache is as warm as on a running node.
 *
 * <p>Wall-clock time is meaningless on a loaded machine, so each iteration also prints load-insensitive
 * figures: CPU time of the benchmark thread and of the whole process, the state node reads that missed the
 * node cache, and the nodes the block created (each hashed once).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = BlockCommitBenchmark.WARMUP_BLOCKS)
@Measurement(iterations = BlockCommitBenchmark.MEASURED_BLOCKS)
@Fork(value = 1, jvmArgs = {"-Xmx8g", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED"})
public class BlockCommitBenchmark {
  static final int WARMUP_BLOCKS = 5;
  static final int MEASURED_BLOCKS = 10;
  private static final String CHAIN_ID = "cairn-bench";
  private static final int SENDERS = 5_000;
  private static final int VALIDATORS = 4;

  @Param({"1000000"})
  public int accounts;

  /** RocksDB's block cache; the default is {@link StoreConfig#DEFAULTS}'s. */
  @Param({"256"})
  public int blockCacheMiB;

  private Path dir;
  private ChainStore store;
  private ValidatorSet validators;
  private List<KeyPair> validatorKeys;
  private BlockExecutor executor;
  /** Pre-signed transactions, one list per block (signing is the mempool's work, not the block's). */
  private final List<List<Transaction>> blocks = new ArrayList<>();
  private int next;

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
  private long threadCpuBefore;
  private long processCpuBefore;
  private long storeReadsBefore;
  private int lastNewNodes;
  private long buildCpuNanos;
  private long commitCpuNanos;
  private long forkJoinCpuBefore;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    Random random = new Random(42);
    validatorKeys = new ArrayList<>();
    for (int i = 0; i < VALIDATORS; i++) {
      validatorKeys.add(KeyPair.fromSeedText("bench-validator-" + i));
    }
    validators = new ValidatorSet(validatorKeys.stream().map(KeyPair::publicKey).toList());
    List<KeyPair> senders = new ArrayList<>(SENDERS);
    TreeMap<Hash, Optional<Bytes>> genesis = new TreeMap<>();
    Bytes funded = Bytes.wrap(LedgerCodec.encode(new Account(1_000_000_000L, 0, Set.of(Role.MEMBER))));
    for (int i = 0; i < SENDERS; i++) {
      KeyPair key = KeyPair.fromSeedText("bench-sender-" + i);
      senders.add(key);
      genesis.put(StateKeys.account(key.address()), Optional.of(funded));
    }
    List<Address> others = new ArrayList<>(accounts);
    for (int i = SENDERS; i < accounts; i++) {
      byte[] raw = new byte[Address.SIZE];
      random.nextBytes(raw);
      Address address = new Address(Bytes.wrap(raw));
      others.add(address);
      genesis.put(StateKeys.account(address), Optional.of(funded));
    }
    genesis.put(StateKeys.VALIDATOR_SET, Optional.of(Bytes.wrap(LedgerCodec.encode(validators))));
    StateChanges changes = new StateChanges(genesis);
    TreeUpdate genesisTree = new SparseMerkleTree(new MemoryNodeStore(), SparseMerkleTree.EMPTY_ROOT).apply(changes);
    BlockHeader header = new BlockHeader(0, Hash.ZERO, 1_700_000_000_000L, validators.proposer(0, 0), 0,
        MerkleRoot.ofTransactions(List.of()), MerkleRoot.ofReceipts(List.of()), genesisTree.root(), validators.hash());
    ExecutedBlock genesisBlock = new ExecutedBlock(new Block(header, List.of()), List.of(), changes, genesisTree, validators);

    dir = Files.createTempDirectory("cairn-bench-commit");
    StoreConfig defaults = StoreConfig.DEFAULTS;
    store = ChainStore.open(dir, new StoreConfig(blockCacheMiB * 1024L * 1024L, defaults.writeBufferBytes(),
        defaults.writeBuffersTotalBytesMax(), defaults.walBytesMax(), defaults.openFilesMax(),
        defaults.backgroundJobsMax(), defaults.bloomBitsPerKey(), defaults.nodeCacheEntriesMax()));
    store.commit(genesisBlock, new CommitCertificate(genesisBlock.block().hash(), List.of()));
    executor = new BlockExecutor(CHAIN_ID, BlockLimits.CODEC_MAX, (id, tx) -> true);

    for (int b = 0; b < WARMUP_BLOCKS + MEASURED_BLOCKS; b++) {
      List<Transaction> txs = new ArrayList<>(SENDERS);
      for (KeyPair sender : senders) {
        Address to = others.get(random.nextInt(others.size()));
        txs.add(Transaction.sign(CHAIN_ID, sender, b, new Payload.Transfer(to, 1 + random.nextInt(1_000))));
      }
      blocks.add(txs);
    }
  }

  @Setup(Level.Iteration)
  public void before() {
    threadCpuBefore = threads.getCurrentThreadCpuTime();
    processCpuBefore = os.getProcessCpuTime();
    storeReadsBefore = store.stateNodeStoreReads();
    forkJoinCpuBefore = forkJoinCpuNanos();
  }

  /** CPU time of the common pool's threads, which run one half of every large tree update. */
  private long forkJoinCpuNanos() {
    long total = 0;
    for (long id : threads.getAllThreadIds()) {
      java.lang.management.ThreadInfo info = threads.getThreadInfo(id);
      if (info != null && info.getThreadName().startsWith("ForkJoinPool.commonPool")) {
        total += Math.max(0, threads.getThreadCpuTime(id));
      }
    }
    return total;
  }

  @TearDown(Level.Iteration)
  public void after() {
    System.out.printf("%n[block %d] benchThreadCpuMs=%.1f buildCpuMs=%.1f commitCpuMs=%.1f forkJoinCpuMs=%.1f"
            + " processCpuMs=%.1f nodeStoreReads=%d newNodes=%d load=%.1f%n",
        next, (threads.getCurrentThreadCpuTime() - threadCpuBefore) / 1e6, buildCpuNanos / 1e6,
        commitCpuNanos / 1e6, (forkJoinCpuNanos() - forkJoinCpuBefore) / 1e6,
        (os.getProcessCpuTime() - processCpuBefore) / 1e6, store.stateNodeStoreReads() - storeReadsBefore,
        lastNewNodes, os.getSystemLoadAverage());
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  /** Build the next block on the head as its proposer, certify it (3 seals) and commit it. */
  @Benchmark
  public ExecutedBlock proposerBuildAndCommit() {
    List<Transaction> txs = blocks.get(next++);
    long start = threads.getCurrentThreadCpuTime();
    BlockHeader parent = store.header(store.head().orElseThrow().hash()).orElseThrow();
    SparseMerkleTree tree = new SparseMerkleTree(store.nodes(), parent.stateRoot());
    ExecutedBlock built = executor.build(parent, store.state(), tree, validators, txs,
        validators.proposer(parent.height() + 1, 0), 0, parent.timestampMillis() + 1_000);
    if (built.block().transactions().size() != SENDERS) {
      throw new IllegalStateException("built a block of " + built.block().transactions().size() + " transactions");
    }
    long builtAt = threads.getCurrentThreadCpuTime();
    buildCpuNanos = builtAt - start;
    Hash hash = built.block().hash();
    List<CommitSeal> seals = new ArrayList<>();
    for (KeyPair key : validatorKeys.subList(0, validators.quorum())) {
      seals.add(CommitSeal.sign(key, hash));
    }
    CommitCertificate certificate = new CommitCertificate(hash, seals);
    long sealed = threads.getCurrentThreadCpuTime();
    store.commit(built, certificate);
    commitCpuNanos = threads.getCurrentThreadCpuTime() - sealed;
    lastNewNodes = built.treeUpdate().newNodes().size();
    return built;
  }
}
