package dev.cairn.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.execution.BlockCheck;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The whole per-block pipeline of a node on RocksDB: a 5,000-transfer block on a state of {@code accounts}
 * accounts is executed against the store's flat state, the sparse Merkle tree is updated from the store's
 * nodes (behind its cache), and block, certificate, receipts, indexes, tree nodes and flat state are
 * committed in one synced WriteBatch. {@code proposerBuildAndCommit} is the proposer's path (build =
 * select, execute, root); {@code validatorCheckAndCommit} a validator's (full validation of someone else's
 * block). Signatures count as verified (the node's signature cache verified them once at admission; their
 * cost is {@link CryptoBenchmark}). Each measured operation commits one new block on top of the last, so
 * the chain grows through the run exactly as a node's does.
 *
 * <p>Wall-clock time means little on a loaded machine, so each iteration also prints load-insensitive
 * figures: CPU time of the benchmark thread (and of its build and commit phases), of the common-pool
 * threads (one half of every large tree update) and of the whole process (RocksDB flushes and compactions,
 * GC), the state node reads that missed the node cache, and the nodes the block created (each hashed
 * once). ParallelGC: with G1 the same run had more young pauses in the measured blocks and more process
 * CPU (docs/performance.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10, batchSize = 1)
@Measurement(iterations = 30, batchSize = 1)
@Fork(value = 1, jvmArgs = {"-Xmx6g", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED"})
public class BlockCommitBenchmark {
  private static final String CHAIN_ID = "cairn-bench";
  private static final int TXS_PER_BLOCK = 5_000;

  @Param({"1000000"})
  public int accounts;

  /** The state node cache (StoreConfig.nodeCacheEntriesMax, ~170 bytes each); the node's default unless set. */
  @Param({"200000"})
  public int nodeCacheEntries;

  private Path dir;
  private ChainStore store;
  private KeyPair validator;
  private ValidatorSet validators;
  private BlockExecutor executor;
  private List<KeyPair> senders;
  private List<Address> recipients;
  private SplittableRandom random;
  private long nextNonce;
  private List<Transaction> txs;
  private Block proposedByPeer;

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
  private long threadCpuBefore;
  private long processCpuBefore;
  private long forkJoinCpuBefore;
  private long storeReadsBefore;
  private long buildCpuNanos;
  private long commitCpuNanos;
  private int lastNewNodes;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    dir = Files.createTempDirectory("cairn-bench-commit");
    store = ChainStore.open(dir, StoreConfig.DEFAULTS.withNodeCacheEntriesMax(nodeCacheEntries));
    validator = KeyPair.fromSeedText("bench-validator");
    validators = new ValidatorSet(List.of(validator.publicKey()));
    executor = new BlockExecutor(CHAIN_ID, new BlockLimits(TXS_PER_BLOCK, 64L * 1024 * 1024), (id, tx) -> true);
    random = new SplittableRandom(7);
    senders = new ArrayList<>(TXS_PER_BLOCK);
    recipients = new ArrayList<>(accounts);
    TreeMap<Hash, Optional<Bytes>> writes = new TreeMap<>();
    Bytes senderAccount = Bytes.wrap(LedgerCodec.encode(new Account(1_000_000_000L, 0, Set.of(Role.MEMBER))));
    for (int i = 0; i < TXS_PER_BLOCK; i++) {
      KeyPair key = KeyPair.fromSeedText("bench-sender-" + i);
      senders.add(key);
      writes.put(StateKeys.account(key.address()), Optional.of(senderAccount));
    }
    Bytes plainAccount = Bytes.wrap(LedgerCodec.encode(new Account(1_000, 0, Set.of())));
    byte[] raw = new byte[Address.SIZE];
    for (int i = TXS_PER_BLOCK; i < accounts; i++) {
      random.nextBytes(raw);
      Address address = new Address(Bytes.of(raw));
      recipients.add(address);
      writes.put(StateKeys.account(address), Optional.of(plainAccount));
    }
    writes.put(StateKeys.VALIDATOR_SET, Optional.of(Bytes.wrap(LedgerCodec.encode(validators))));
    StateChanges changes = new StateChanges(writes);
    TreeUpdate update = new SparseMerkleTree(new MemoryNodeStore(), SparseMerkleTree.EMPTY_ROOT).apply(changes);
    BlockHeader header = new BlockHeader(0, Hash.ZERO, 0, validator.publicKey(), 0,
        MerkleRoot.ofTransactions(List.of()), MerkleRoot.ofReceipts(List.of()), update.root(), validators.hash());
    Block genesis = new Block(header, List.of());
    store.commit(new ExecutedBlock(genesis, List.of(), changes, update, validators),
        new CommitCertificate(genesis.hash(), List.of()));
    // One full GC once the state is built, outside the measurement: without it the setup's live data (the
    // million recipient addresses, ~260 MB) sat in the survivor spaces and every young GC of the first ~20
    // blocks copied it again (200-370 ms pauses, -Xlog:gc*), a cost of the benchmark's setup that a running
    // node, whose genesis is long tenured, does not pay. Young GCs in the measured blocks stay in the figures.
    System.gc();
  }

  /** Signs the next block's transfers (not measured): one per sender, to random recipients. */
  @Setup(Level.Iteration)
  public void nextBlock(BenchmarkParams params) {
    txs = new ArrayList<>(TXS_PER_BLOCK);
    for (KeyPair sender : senders) {
      Address to = recipients.get(random.nextInt(recipients.size()));
      txs.add(Transaction.sign(CHAIN_ID, sender, nextNonce, new Payload.Transfer(to, 1)));
    }
    nextNonce++;
    // The same transfers as a block built by another validator, for the validator path only: building it
    // reads the very nodes the measured operation reads, and with a node cache that kept what it read (as
    // before batched reads) the proposer path would then be measured with every node already cached.
    if (params.getBenchmark().endsWith("validatorCheckAndCommit")) {
      BlockHeader parent = head();
      proposedByPeer = executor.build(parent, store.state(), tree(parent), validators, txs, validator.publicKey(), 0,
          parent.timestampMillis() + 1).block();
    }
    threadCpuBefore = threads.getCurrentThreadCpuTime();
    processCpuBefore = os.getProcessCpuTime();
    forkJoinCpuBefore = forkJoinCpuNanos();
    storeReadsBefore = store.stateNodeStoreReads();
  }

  @TearDown(Level.Iteration)
  public void report() {
    System.out.printf("%n[block %d] benchThreadCpuMs=%.1f buildCpuMs=%.1f commitCpuMs=%.1f forkJoinCpuMs=%.1f"
            + " processCpuMs=%.1f nodeStoreReads=%d newNodes=%d load=%.1f%n",
        nextNonce, (threads.getCurrentThreadCpuTime() - threadCpuBefore) / 1e6, buildCpuNanos / 1e6,
        commitCpuNanos / 1e6, (forkJoinCpuNanos() - forkJoinCpuBefore) / 1e6,
        (os.getProcessCpuTime() - processCpuBefore) / 1e6, store.stateNodeStoreReads() - storeReadsBefore,
        lastNewNodes, os.getSystemLoadAverage());
  }

  /** CPU time of the common pool's threads, which run one half of every large tree update. */
  private long forkJoinCpuNanos() {
    long total = 0;
    for (long id : threads.getAllThreadIds()) {
      ThreadInfo info = threads.getThreadInfo(id);
      if (info != null && info.getThreadName().startsWith("ForkJoinPool.commonPool")) {
        total += Math.max(0, threads.getThreadCpuTime(id));
      }
    }
    return total;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    store.close();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private BlockHeader head() {
    return store.header(store.head().orElseThrow().hash()).orElseThrow();
  }

  private SparseMerkleTree tree(BlockHeader parent) {
    return new SparseMerkleTree(store.nodes(), parent.stateRoot());
  }

  @Benchmark
  public long proposerBuildAndCommit() {
    long start = threads.getCurrentThreadCpuTime();
    BlockHeader parent = head();
    ExecutedBlock executed = executor.build(parent, store.state(), tree(parent), validators, txs,
        validator.publicKey(), 0, parent.timestampMillis() + 1);
    buildCpuNanos = threads.getCurrentThreadCpuTime() - start;
    return commit(executed);
  }

  @Benchmark
  public long validatorCheckAndCommit() {
    long start = threads.getCurrentThreadCpuTime();
    BlockHeader parent = head();
    BlockCheck check = executor.validate(proposedByPeer, parent, store.state(), tree(parent), validators);
    if (!(check instanceof BlockCheck.Valid valid)) {
      throw new IllegalStateException("benchmark block invalid: " + check);
    }
    buildCpuNanos = threads.getCurrentThreadCpuTime() - start;
    return commit(valid.executed());
  }

  private long commit(ExecutedBlock executed) {
    if (executed.block().transactions().size() != TXS_PER_BLOCK) {
      throw new IllegalStateException("only " + executed.block().transactions().size() + " transfers included");
    }
    Hash hash = executed.block().hash();
    CommitCertificate certificate = new CommitCertificate(hash, List.of(CommitSeal.sign(validator, hash)));
    long start = threads.getCurrentThreadCpuTime();
    store.commit(executed, certificate);
    commitCpuNanos = threads.getCurrentThreadCpuTime() - start;
    lastNewNodes = executed.treeUpdate().newNodes().size();
    return executed.height();
  }
}
