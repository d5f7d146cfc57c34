package dev.cairn.ledger.store;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.execution.ExecutedBlock;
import dev.cairn.ledger.model.AccountActivity;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.HistoryPage;
import dev.cairn.ledger.model.IncludedTransaction;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.RecordChange;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.TxPosition;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.StateReader;
import dev.cairn.ledger.state.TreeNodeStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.BiConsumer;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's chain: finalized blocks with their certificates, receipts and indexes, the authenticated state's
 * tree nodes, the flat latest state, the validator set of every height, and the node's own consensus
 * metadata, in one RocksDB (layout in docs/storage.md).
 *
 * <p>One writer, many readers: {@link #commit} is serialized and writes a whole block in one synced batch, so
 * after a crash the store reopens at the last block whose commit returned (or a later one whose batch reached
 * the WAL). Readers never see part of a block: every key of a block becomes visible together, and the height
 * index and head pointer move in the same batch.
 */
public final class ChainStore implements AutoCloseable {
  /** 2: the account and record history families (docs/storage.md); a store of version 1 is reindexed at open. */
  public static final int SCHEMA_VERSION = 2;
  /** The schema before the history families; such a store gets them built from its blocks at open. */
  static final int SCHEMA_VERSION_WITHOUT_HISTORY = 1;
  /** The most entries one history page may hold. */
  public static final int HISTORY_PAGE_ENTRIES_MAX = ChainHistory.PAGE_ENTRIES_MAX;
  private volatile CommitStats totals = CommitStats.ZERO;
  private static final Logger LOG = LoggerFactory.getLogger(ChainStore.class);

  private final RocksStore rocks;
  private final StateNodeCache nodes;
  private final StateReader flatState;
  private final Retention retention;
  private final ChainHistory history;
  /**
   * Whether commits record the tree nodes they replace and drop the markers of nodes they bring back: the
   * store's persisted state-pruning flag, not the configuration (a store whose markers exist must keep them
   * right on every commit, or pruning could later delete a node a block brought back).
   */
  private volatile boolean recordsStaleNodes;
  private volatile Optional<ChainHead> head;
  /**
   * How far pruning has gone. Moved before the pruning batch is written, so a reader that finds a body or a
   * node missing always finds it inside the pruned range (a failed write only makes this conservative).
   */
  private volatile PrunedHeights pruned;
  /** The lowest height stored: 0, or the snapshot height a state sync started the store from. */
  private volatile long base;

  private ChainStore(RocksStore rocks, StoreConfig config) {
    this.rocks = rocks;
    this.retention = config.retention();
    this.recordsStaleNodes = rocks.get(ColumnFamily.METADATA, StoreCodec.META_STATE_PRUNING) != null;
    this.pruned = Optional.ofNullable(rocks.get(ColumnFamily.METADATA, StoreCodec.META_PRUNED, StoreCodec::decodePruned))
        .orElse(PrunedHeights.NONE);
    this.nodes = new StateNodeCache(rocks, config.nodeCacheEntriesMax());
    this.flatState = key -> Optional.ofNullable(rocks.get(ColumnFamily.FLAT_STATE, key.unsafeArray())).map(Bytes::wrap);
    this.head = Optional.ofNullable(rocks.get(ColumnFamily.METADATA, StoreCodec.META_HEAD, StoreCodec::decodeHead));
    this.base = Optional.ofNullable(rocks.get(ColumnFamily.METADATA, StoreCodec.META_BASE, StoreCodec::decodeHeight))
        .orElse(0L);
    this.history = new ChainHistory(this, rocks);
  }

  /**
   * Opens (creating if needed) the store in {@code dir}; refuses a store written by another schema version,
   * a corrupt write-ahead log, and a state that disagrees with the head.
   */
  public static ChainStore open(Path dir, StoreConfig config) {
    return open(dir, config, true);
  }

  /**
   * Opens a store to examine or copy it ({@code cairn verify-chain}, {@code backup}, {@code blocks export}): as
   * {@link #open} but without the state check, so that a damaged state can be reported in full instead of
   * refused at the door, and without applying the configured retention to the store's pruning bookkeeping
   * (a tool run without the node's config must not switch the node's state pruning off).
   */
  public static ChainStore openForVerification(Path dir, StoreConfig config) {
    return open(dir, config, false);
  }

  private static ChainStore open(Path dir, StoreConfig config, boolean checkState) {
    RocksStore rocks = RocksStore.open(dir, config);
    try {
      boolean withoutHistory = checkSchema(rocks);
      ChainStore store = new ChainStore(rocks, config);
      store.checkHead();
      if (checkState) {
        store.applyStatePruningSetting();
      }
      if (checkState) store.checkStateAgainstHead(STATE_CHECK_ENTRIES);
      if (withoutHistory) {
        HistoryReindex.run(store, rocks);
        rocks.putSynced(ColumnFamily.METADATA, StoreCodec.META_SCHEMA_VERSION, StoreCodec.encodeSchemaVersion(SCHEMA_VERSION));
      }
      LOG.info("chain store opened dir={} head={}", dir,
          store.head.map(h -> h.height() + "/" + h.hash().shortHex()).orElse("empty"));
      return store;
    } catch (RuntimeException e) {
      rocks.close();
      throw e;
    }
  }

  /** Refuses a store of an unknown schema; true for a store of the schema before the history families. */
  private static boolean checkSchema(RocksStore rocks) {
    Integer version = rocks.get(ColumnFamily.METADATA, StoreCodec.META_SCHEMA_VERSION, StoreCodec::decodeSchemaVersion);
    if (version == null) {
      if (rocks.get(ColumnFamily.METADATA, StoreCodec.META_HEAD) != null) {
        throw new StorageException("store at " + rocks.dir() + " has a head but no schema version");
      }
      rocks.putSynced(ColumnFamily.METADATA, StoreCodec.META_SCHEMA_VERSION, StoreCodec.encodeSchemaVersion(SCHEMA_VERSION));
      return false;
    }
    if (version == SCHEMA_VERSION_WITHOUT_HISTORY) {
      return true;
    }
    if (version != SCHEMA_VERSION) {
      throw new StorageException("store at " + rocks.dir() + " has schema version " + version + ", this build reads "
          + SCHEMA_VERSION + " (and upgrades " + SCHEMA_VERSION_WITHOUT_HISTORY + ")");
    }
    return false;
  }

  /** Flat-state entries read back through the stored tree at every open (about a millisecond each at most). */
  static final int STATE_CHECK_ENTRIES = 256;

  /**
   * A bounded check at open that the flat state agrees with the head's state root: the root's tree node is
   * stored, and the first {@code entriesMax} flat-state entries read the same through the stored tree at that
   * root. A store whose state and head come from different writes (a lost or replayed batch) fails here with
   * one line saying what to do, instead of executing blocks on the wrong state. The full check is
   * {@code cairn verify-chain}.
   */
  void checkStateAgainstHead(int entriesMax) {
    if (head.isEmpty()) return;
    ChainHead current = head.get();
    dev.cairn.ledger.state.SparseMerkleTree tree = new dev.cairn.ledger.state.SparseMerkleTree(nodes, current.stateRoot());
    int[] checked = {0};
    String[] mismatch = {null};
    try {
      rocks.iterate(ColumnFamily.FLAT_STATE, it -> {
        for (it.seekToFirst(); it.isValid() && checked[0] < entriesMax && mismatch[0] == null; it.next()) {
          Hash key = Hash.wrap(it.key());
          Optional<Bytes> inTree = tree.get(key);
          if (!inTree.equals(Optional.of(Bytes.wrap(it.value())))) {
            mismatch[0] = "key " + key.shortHex() + " reads differently through the tree at the head's state root";
          }
          checked[0]++;
        }
        RocksStore.checkStatus(it, ColumnFamily.FLAT_STATE);
        return null;
      });
      if (checked[0] == 0 && !current.stateRoot().equals(dev.cairn.ledger.state.SparseMerkleTree.EMPTY_ROOT)) {
        mismatch[0] = "the flat state is empty but the head's state root is not";
      }
    } catch (RuntimeException e) {
      mismatch[0] = e.getMessage();
    }
    if (mismatch[0] != null) {
      throw new StorageException("the state in the chain store at " + rocks.dir() + " does not match head "
          + current.height() + "/" + current.hash().shortHex() + " (" + mismatch[0] + "): do not start from it; run "
          + "`cairn verify-chain --data-dir <dir>` to see more, then move the directory aside and start on an empty "
          + "data dir to re-sync from peers");
    }
  }

  /** A cheap consistency check at open: the head pointer names the top of the height index. */
  private void checkHead() {
    if (head.isEmpty()) {
      if (rocks.get(ColumnFamily.HEIGHTS, StoreCodec.heightKey(0)) != null) {
        throw new StorageException("store at " + rocks.dir() + " has blocks but no head pointer");
      }
      return;
    }
    ChainHead current = head.get();
    if (!hashAt(current.height()).map(current.hash()::equals).orElse(false) || header(current.hash()).isEmpty()) {
      throw new StorageException("store at " + rocks.dir() + " has head " + current.height() + "/"
          + current.hash().shortHex() + " but no such block in cf=heights and cf=headers");
    }
    if (current.height() < Long.MAX_VALUE && hashAt(current.height() + 1).isPresent()) {
      throw new StorageException("store at " + rocks.dir() + " has a block above head " + current.height());
    }
  }

  // ---- writing ----

  /**
   * Commits a finalized block: header, body, certificate, height and transaction indexes, receipts, the
   * tree's new nodes, the flat-state writes and deletes, the next validator set and the head pointer, in one
   * batch with a synced WAL. Refuses (IllegalArgumentException, nothing written) a block that does not
   * extend the head; the first block of an empty store must be genesis at height 0 with an empty certificate.
   */
  public synchronized CommitStats commit(ExecutedBlock executed, CommitCertificate certificate) {
    long started = System.nanoTime();
    Optional<ChainHead> current = head;
    Optional<ValidatorSet> validators =
        current.isEmpty() ? Optional.empty() : validatorsAt(executed.height());
    BlockCommit commit = BlockCommit.prepare(executed, certificate, current, validators);
    BlockCommit.StaleNodes stale = recordsStaleNodes && executed.height() > 0
        ? new BlockCommit.StaleNodes(true, Pruner.revived(rocks, executed.treeUpdate().newNodes().keySet()))
        : BlockCommit.StaleNodes.NONE;
    try (WriteBatch batch = commit.toBatch(rocks, validators, stale)) {
      // The node cache takes the new nodes on another core while this thread waits for the WAL's fsync. Safe
      // even if the write then fails: nodes are content-addressed, so a cached node is the right encoding of
      // its hash whether or not it reached the store, and only a root that was committed leads to it.
      ForkJoinTask<?> remembering = ForkJoinPool.commonPool().submit(() -> nodes.rememberAll(executed.treeUpdate()));
      try {
        rocks.write(batch);
      } finally {
        remembering.join();
      }
    }
    head = Optional.of(commit.newHead());
    CommitStats stats = new CommitStats(commit.blockBytes(), commit.stateBytes(), System.nanoTime() - started);
    totals = totals.plus(stats);
    LOG.debug("block stored height={} hash={} txs={} nodes={}", executed.height(), commit.newHead().hash().shortHex(),
        executed.block().transactions().size(), commit.newNodes().size());
    return stats;
  }

  /**
   * What one commit wrote and how long it took (building the batch and the synced write).
   *
   * @param blockBytes batch bytes of the block: header, body, certificate, receipts, indexes, head pointer
   * @param stateBytes batch bytes of the state: new tree nodes and flat-state writes
   */
  public record CommitStats(long blockBytes, long stateBytes, long nanos) {
    static final CommitStats ZERO = new CommitStats(0, 0, 0);

    CommitStats plus(CommitStats other) {
      return new CommitStats(blockBytes + other.blockBytes, stateBytes + other.stateBytes, nanos + other.nanos);
    }
  }

  /** Every commit since the store was opened, added up (for metrics). */
  public CommitStats commitTotals() {
    return totals;
  }

  /** RocksDB's own figures that tell an operator how the database is doing, summed over the column families. */
  public enum EngineStat {
    LIVE_DATA_BYTES("rocksdb.estimate-live-data-size", false),
    SST_FILES_BYTES("rocksdb.total-sst-files-size", false),
    MEMTABLES_BYTES("rocksdb.cur-size-all-mem-tables", false),
    PENDING_COMPACTION_BYTES("rocksdb.estimate-pending-compaction-bytes", false),
    RUNNING_COMPACTIONS("rocksdb.num-running-compactions", true),
    RUNNING_FLUSHES("rocksdb.num-running-flushes", true),
    BLOCK_CACHE_BYTES("rocksdb.block-cache-usage", true);

    final String property;
    /** A figure of the whole database or of an object the families share: read once, not summed. */
    final boolean whole;

    EngineStat(String property, boolean whole) {
      this.property = property;
      this.whole = whole;
    }

    /** RocksDB's name for it. */
    public String property() {
      return property;
    }
  }

  /** One of RocksDB's figures, summed over the column families (a shared block cache is counted once). */
  public long engineStat(EngineStat stat) {
    return rocks.aggregatedProperty(stat.property, stat.whole);
  }

  /**
   * Starts an empty store from a state snapshot instead of genesis: the block at {@code header}'s height H
   * becomes the base (its header, certificate and height index; no body or receipts, which state sync does
   * not fetch), the whole state after it ({@code state}, tree nodes rebuilt here and checked against the
   * header's state root) becomes the flat state, and {@code nextValidators} (read from that state) finalize
   * H + 1. Blocks below H are absent for good: the store records H as its base and H + 1 as the first body.
   * One synced batch, so a crash leaves an empty store or a complete base. The caller has checked that
   * {@code header} is trusted and {@code certificate} is for it.
   */
  public synchronized void installSnapshot(Hash genesisHash, BlockHeader header, CommitCertificate certificate,
      java.util.SortedMap<Hash, Bytes> state, ValidatorSet nextValidators) {
    if (head.isPresent()) {
      throw new IllegalStateException("a snapshot goes only into an empty store; this one has head " + head.get().height());
    }
    long height = header.height();
    if (height < 1) {
      throw new IllegalArgumentException("a snapshot base is above genesis, got height " + height);
    }
    Hash hash = header.hash();
    if (!certificate.blockHash().equals(hash)) {
      throw new IllegalArgumentException("certificate is for " + certificate.blockHash().shortHex() + ", header is " + hash.shortHex());
    }
    java.util.TreeMap<Hash, Optional<Bytes>> writes = new java.util.TreeMap<>();
    state.forEach((key, value) -> writes.put(key, Optional.of(value)));
    dev.cairn.ledger.state.TreeUpdate tree = new dev.cairn.ledger.state.SparseMerkleTree(
        new dev.cairn.ledger.state.MemoryNodeStore(), dev.cairn.ledger.state.SparseMerkleTree.EMPTY_ROOT)
        .apply(new dev.cairn.ledger.state.StateChanges(writes));
    if (!tree.root().equals(header.stateRoot())) {
      throw new IllegalArgumentException("the snapshot's state hashes to " + tree.root().shortHex()
          + ", the header's state root is " + header.stateRoot().shortHex());
    }
    byte[] hashKey = hash.unsafeArray();
    byte[] heightKey = StoreCodec.heightKey(height);
    ChainHead newHead = new ChainHead(height, hash, header.stateRoot());
    PrunedHeights newPruned = new PrunedHeights(height + 1, height);
    try (WriteBatch batch = new WriteBatch()) {
      batch.put(rocks.handle(ColumnFamily.HEADERS), hashKey, LedgerCodec.encode(header));
      batch.put(rocks.handle(ColumnFamily.CERTIFICATES), hashKey, LedgerCodec.encode(certificate));
      batch.put(rocks.handle(ColumnFamily.HEIGHTS), heightKey, hashKey);
      for (var node : tree.newNodes().entrySet()) {
        batch.put(rocks.handle(ColumnFamily.STATE_NODES), node.getKey().unsafeArray(), node.getValue().unsafeArray());
      }
      for (var entry : state.entrySet()) {
        batch.put(rocks.handle(ColumnFamily.FLAT_STATE), entry.getKey().unsafeArray(), entry.getValue().unsafeArray());
      }
      batch.put(rocks.handle(ColumnFamily.VALIDATOR_SETS), StoreCodec.heightKey(height + 1), LedgerCodec.encode(nextValidators));
      batch.put(rocks.handle(ColumnFamily.METADATA), StoreCodec.META_GENESIS_HASH, genesisHash.unsafeArray());
      batch.put(rocks.handle(ColumnFamily.METADATA), StoreCodec.META_BASE, StoreCodec.encodeHeight(height));
      batch.put(rocks.handle(ColumnFamily.METADATA), StoreCodec.META_PRUNED, StoreCodec.encodePruned(newPruned));
      batch.put(rocks.handle(ColumnFamily.METADATA), StoreCodec.META_HEAD, StoreCodec.encodeHead(newHead));
      rocks.write(batch);
    } catch (org.rocksdb.RocksDBException e) {
      throw new StorageException("writing the snapshot base at height " + height + " failed: " + e.getMessage(), e);
    }
    // The node closes this store and opens it again to start; without a flush that open replays the whole
    // install from the WAL.
    rocks.flushMemtables();
    pruned = newPruned;
    base = height;
    head = Optional.of(newHead);
    LOG.info("event=snapshot_installed height={} hash={} keys={} nodes={}", height, hash.shortHex(), state.size(),
        tree.newNodes().size());
  }

  /** The lowest height this store holds: 0, or the snapshot height it was state-synced from. */
  public long baseHeight() {
    return base;
  }

  /**
   * Writes an online backup of the store to {@code target} (a RocksDB checkpoint; the directory must not
   * exist, and should be on the same file system so that table files are hard links, not copies) and returns
   * the head it holds. Holds the commit lock for the checkpoint's memtable flush, so the copy ends exactly at
   * a block boundary that is known; commits wait that long (a flush, not a copy).
   */
  public synchronized Optional<ChainHead> checkpoint(Path target) {
    Optional<ChainHead> at = head;
    rocks.checkpoint(target);
    LOG.info("checkpoint written dir={} height={}", target, at.map(ChainHead::height).orElse(-1L));
    return at;
  }

  // ---- pruning ----

  /** What one {@link #prune} call did. */
  public record PruneStep(long blockBodies, long stateNodes, long staleEntries, boolean moreWork) {
    public static final PruneStep NOTHING = new PruneStep(0, 0, 0, false);
  }

  /**
   * One bounded step of pruning by the configured {@link Retention} (at most
   * {@link Retention#pruneBatchEntriesMax} deletes, one synced batch with the new pruning progress); call
   * again while {@link PruneStep#moreWork}. Holds the commit lock for the step, so commits wait at most one step.
   */
  public synchronized PruneStep prune() {
    if (!retention.prunes() || head.isEmpty()) {
      return PruneStep.NOTHING;
    }
    // State is pruned only where every commit since the stale sets began recorded them.
    Retention effective = recordsStaleNodes ? retention : new Retention(retention.retainBlocks(), 0, retention.pruneBatchEntriesMax());
    Pruner.Step step = Pruner.prepare(this, rocks, effective, pruned, head.get().height());
    if (step.batch() == null) {
      return PruneStep.NOTHING;
    }
    pruned = step.pruned();
    try (WriteBatch batch = step.batch().toWriteBatch()) {
      rocks.write(batch);
    }
    LOG.debug("pruned bodies_from={} state_from={} block_bodies={} state_nodes={} stale_entries={}",
        step.pruned().bodiesFrom(), step.pruned().stateFrom(), step.blockBodies(), step.stateNodes(), step.staleEntries());
    return new PruneStep(step.blockBodies(), step.stateNodes(), step.staleEntries(), step.moreWork());
  }

  /** The lowest height above genesis whose body, receipts and transactions are kept (1: none pruned). */
  public long bodiesRetainedFrom() {
    return pruned.bodiesFrom();
  }

  /**
   * Throws {@link PrunedException} if the state of {@code height} was pruned. A tree walk of a height that
   * pruning passes while it runs can meet a missing node: check again after a {@code MissingNodeException}.
   */
  public void requireState(long height) {
    long from = pruned.stateFrom();
    if (height < from) {
      throw new PrunedException(PrunedException.What.STATE, height, from);
    }
  }

  /** The lowest height whose state is complete and provable (0: none pruned). */
  public long stateRetainedFrom() {
    return pruned.stateFrom();
  }

  public Retention retention() {
    return retention;
  }

  /**
   * Makes the persisted state-pruning flag follow the configuration, at a node's open. On: set the flag
   * before any commit, so that every later commit records its stale set. Off: drop the stale sets recorded
   * while it was on (their nodes stay forever), then the flag; in that order, so that a crash in between
   * leaves the flag on over fewer records (some nodes kept forever), never markers that commits stop
   * maintaining.
   */
  private void applyStatePruningSetting() {
    if (retention.prunesState() && !recordsStaleNodes) {
      rocks.putSynced(ColumnFamily.METADATA, StoreCodec.META_STATE_PRUNING, new byte[] {StoreCodec.FORMAT_V1});
      recordsStaleNodes = true;
      LOG.info("state pruning on: recording the tree nodes each block replaces from height {} dir={}",
          head.map(h -> h.height() + 1).orElse(1L), rocks.dir());
    } else if (!retention.prunesState() && recordsStaleNodes) {
      rocks.clear(ColumnFamily.STALE_NODES);
      rocks.clear(ColumnFamily.STALE_MARKERS);
      rocks.deleteSynced(ColumnFamily.METADATA, StoreCodec.META_STATE_PRUNING);
      recordsStaleNodes = false;
      LOG.info("state pruning off: dropped the recorded stale tree nodes dir={}", rocks.dir());
    }
  }

  /** Stores one item of the node's own consensus state (its signed votes, its lock) with a synced WAL. */
  public void putMeta(String key, Bytes value) {
    rocks.putSynced(ColumnFamily.METADATA, StoreCodec.nodeMetaKey(key), value.unsafeArray());
  }

  public Optional<Bytes> getMeta(String key) {
    return Optional.ofNullable(rocks.get(ColumnFamily.METADATA, StoreCodec.nodeMetaKey(key))).map(Bytes::wrap);
  }

  public void deleteMeta(String key) {
    rocks.deleteSynced(ColumnFamily.METADATA, StoreCodec.nodeMetaKey(key));
  }

  // ---- chain reads ----

  /** The last committed block, or empty for a store that has no genesis yet. */
  public Optional<ChainHead> head() {
    return head;
  }

  public Optional<Hash> genesisHash() {
    return Optional.ofNullable(rocks.get(ColumnFamily.METADATA, StoreCodec.META_GENESIS_HASH, Hash::wrap));
  }

  public Optional<Hash> hashAt(long height) {
    if (height < 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(rocks.get(ColumnFamily.HEIGHTS, StoreCodec.heightKey(height), Hash::wrap));
  }

  /** The header stored under {@code hash}; a stored header that does not hash to its key is corruption. */
  public Optional<BlockHeader> header(Hash hash) {
    BlockHeader header = rocks.get(ColumnFamily.HEADERS, hash.unsafeArray(), LedgerCodec::decodeHeader);
    if (header != null && !header.hash().equals(hash)) {
      throw new StorageException("corrupt value cf=headers key=" + hash.toHex() + ": header hashes to "
          + header.hash().toHex());
    }
    return Optional.ofNullable(header);
  }

  public Optional<BlockHeader> header(long height) {
    return hashAt(height).flatMap(this::header);
  }

  public Optional<Block> block(Hash hash) {
    return header(hash).map(header -> new Block(header, body(hash)));
  }

  public Optional<Block> block(long height) {
    return hashAt(height).flatMap(this::block);
  }

  public Optional<CommitCertificate> certificate(Hash hash) {
    return Optional.ofNullable(rocks.get(ColumnFamily.CERTIFICATES, hash.unsafeArray(), LedgerCodec::decodeCertificate));
  }

  public Optional<CommitCertificate> certificate(long height) {
    return hashAt(height).flatMap(this::certificate);
  }

  public Optional<FinalizedBlock> finalizedBlock(Hash hash) {
    return block(hash).map(block -> finalized(block, required(certificate(hash), ColumnFamily.CERTIFICATES, hash)));
  }

  public Optional<FinalizedBlock> finalizedBlock(long height) {
    return hashAt(height).flatMap(this::finalizedBlock);
  }

  /** The receipts of the block {@code blockHash}, one per transaction in order. */
  public Optional<List<Receipt>> receipts(Hash blockHash) {
    return Optional.ofNullable(rocks.get(ColumnFamily.RECEIPTS, blockHash.unsafeArray(), LedgerCodec::decodeReceipts));
  }

  public Optional<List<Receipt>> receipts(long height) {
    return hashAt(height).flatMap(this::receipts);
  }

  public Optional<TxLocation> txLocation(Hash txId) {
    TxPosition position = rocks.get(ColumnFamily.TX_INDEX, txId.unsafeArray(), StoreCodec::decodeTxPosition);
    if (position == null) {
      return Optional.empty();
    }
    Hash blockHash = hashAt(position.height()).orElseThrow(() -> new StorageException("corrupt value cf=tx_index key="
        + txId.toHex() + ": points at height " + position.height() + ", which has no block"));
    return Optional.of(new TxLocation(position.height(), blockHash, position.index()));
  }

  /** A committed transaction with its receipt, by transaction id. */
  public Optional<IncludedTransaction> transaction(Hash txId) {
    return txLocation(txId).map(location -> {
      Hash blockHash = location.blockHash();
      List<Receipt> receipts = required(receipts(blockHash), ColumnFamily.RECEIPTS, blockHash);
      if (location.position() >= receipts.size()) {
        throw new StorageException("corrupt value cf=tx_index key=" + txId.toHex() + ": position "
            + location.position() + " beyond block of " + receipts.size() + " transactions");
      }
      // Only this transaction is decoded: the body's others are skipped by their lengths.
      Transaction tx = RocksStore.decode(ColumnFamily.BODIES, blockHash.unsafeArray(),
          requiredRaw(ColumnFamily.BODIES, blockHash), bytes -> StoreCodec.decodeBodyAt(bytes, location.position()));
      return new IncludedTransaction(tx, receipts.get(location.position()), location.height(), blockHash,
          location.position());
    });
  }

  /**
   * One page of {@code account}'s history, newest first: every finalized transaction it sent or that names
   * it (transfer recipient, role or validator target), failed ones included. {@code before}: the cursor of
   * the previous page (entries strictly older come), empty for the newest. {@code limit}: 1..{@link
   * #HISTORY_PAGE_ENTRIES_MAX} (IllegalArgumentException otherwise).
   */
  public HistoryPage<AccountActivity> accountHistory(Address account, Optional<TxPosition> before, int limit) {
    return history.account(account, before, limit);
  }

  /**
   * One page of the values record {@code recordKey} of {@code owner} took, newest first: each successful
   * record_put. Cursor and limit as for {@link #accountHistory}.
   */
  public HistoryPage<RecordChange> recordHistory(Address owner, String recordKey, Optional<TxPosition> before, int limit) {
    return history.record(owner, recordKey, before, limit);
  }

  /**
   * The validator set in force at {@code height}: the one that finalizes the block at that height. Known up
   * to head + 1 (the next block's validators); empty beyond that or before genesis.
   */
  public Optional<ValidatorSet> validatorsAt(long height) {
    Optional<ChainHead> current = head;
    if (height < 0 || current.isEmpty() || height > current.get().height() + 1) {
      return Optional.empty();
    }
    byte[] key = StoreCodec.heightKey(height);
    return Optional.of(rocks.iterate(ColumnFamily.VALIDATOR_SETS, it -> {
      it.seekForPrev(key);
      if (!it.isValid()) {
        RocksStore.checkStatus(it, ColumnFamily.VALIDATOR_SETS);
        throw new StorageException("cf=validator_sets has no entry at or below height " + height);
      }
      return RocksStore.decode(ColumnFamily.VALIDATOR_SETS, it.key(), it.value(), LedgerCodec::decodeValidatorSet);
    }));
  }

  /**
   * The heights above {@code afterHeight} where the validator set in force changed (the first height each new
   * set finalizes), ascending, at most {@code countMax}. Sets are stored where they change, plus at genesis and at
   * a state-synced base, so an entry is a change only when it differs from the entry before it; a store whose
   * history starts at a base above {@code afterHeight} cannot tell and throws {@link IllegalStateException}.
   */
  public List<Long> validatorSetChangeHeights(long afterHeight, int countMax) {
    if (afterHeight < 0 || countMax <= 0) {
      throw new IllegalArgumentException("afterHeight must be >= 0 and countMax > 0");
    }
    if (afterHeight < base) {
      throw new IllegalStateException("validator-set history starts at height " + base + " (state-synced base)");
    }
    return rocks.iterate(ColumnFamily.VALIDATOR_SETS, it -> {
      List<Long> out = new ArrayList<>();
      it.seekForPrev(StoreCodec.heightKey(afterHeight));
      byte[] previous = null;
      if (it.isValid()) {
        previous = it.value();
        it.next();
      } else {
        it.seek(StoreCodec.heightKey(afterHeight + 1));
      }
      for (; it.isValid() && out.size() < countMax; it.next()) {
        byte[] set = it.value();
        if (previous != null && !java.util.Arrays.equals(previous, set)) {
          out.add(StoreCodec.height(it.key()));
        }
        previous = set;
      }
      RocksStore.checkStatus(it, ColumnFamily.VALIDATOR_SETS);
      return out;
    });
  }

  /**
   * Finalized blocks from {@code fromHeight} upwards for a syncing peer: at most {@code countMax} blocks and
   * at most {@code bytesMax} stored bytes, except that the first block is always returned if it exists so
   * that sync always progresses.
   */
  public List<FinalizedBlock> blocks(long fromHeight, int countMax, long bytesMax) {
    if (fromHeight < 0 || countMax <= 0 || bytesMax <= 0) {
      throw new IllegalArgumentException("fromHeight must be >= 0, countMax and bytesMax > 0");
    }
    List<FinalizedBlock> out = new ArrayList<>();
    if (fromHeight >= 1 && fromHeight < pruned.bodiesFrom()) {
      // Pruned here: the peer asks another node (one that keeps all blocks, retain-blocks = 0).
      return out;
    }
    long headHeight = head.map(ChainHead::height).orElse(-1L);
    long bytes = 0;
    for (long height = fromHeight; height <= headHeight && out.size() < countMax; height++) {
      long at = height;
      Hash hash = hashAt(height).orElseThrow(() -> new StorageException(
          "missing value cf=heights key=" + RocksStore.hex(StoreCodec.heightKey(at)) + " below head " + headHeight));
      byte[] header = requiredRaw(ColumnFamily.HEADERS, hash);
      byte[] body = rocks.get(ColumnFamily.BODIES, hash.unsafeArray());
      if (body == null && height < pruned.bodiesFrom()) {
        break; // pruned meanwhile
      }
      body = requiredRaw(ColumnFamily.BODIES, hash);
      byte[] certificate = requiredRaw(ColumnFamily.CERTIFICATES, hash);
      bytes += header.length + body.length + certificate.length;
      if (bytes > bytesMax && !out.isEmpty()) {
        break;
      }
      Block block = new Block(
          RocksStore.decode(ColumnFamily.HEADERS, hash.unsafeArray(), header, LedgerCodec::decodeHeader),
          RocksStore.decode(ColumnFamily.BODIES, hash.unsafeArray(), body, StoreCodec::decodeBody));
      out.add(finalized(block,
          RocksStore.decode(ColumnFamily.CERTIFICATES, hash.unsafeArray(), certificate, LedgerCodec::decodeCertificate)));
    }
    return out;
  }

  // ---- state reads ----

  /** The latest state (after the head block) from the flat state family: one point lookup per key. */
  public StateReader state() {
    return flatState;
  }

  /** The authenticated tree's nodes, with the configured node cache in front. */
  public TreeNodeStore nodes() {
    return nodes;
  }

  /** State node reads that missed the node cache and went to RocksDB since open (a diagnostic counter). */
  public long stateNodeStoreReads() {
    return nodes.storedReads();
  }

  /**
   * Visits every flat-state entry in key order, all from one snapshot, and returns the head that this state
   * belongs to (empty for an empty store). For checks that recompute the state root.
   */
  public Optional<ChainHead> scanState(BiConsumer<Hash, Bytes> visitor) {
    return rocks.withSnapshot(snapshot -> {
      byte[] headBytes = rocks.get(ColumnFamily.METADATA, StoreCodec.META_HEAD, snapshot);
      Optional<ChainHead> stateHead = Optional.ofNullable(headBytes).map(bytes ->
          RocksStore.decode(ColumnFamily.METADATA, StoreCodec.META_HEAD, bytes, StoreCodec::decodeHead));
      rocks.iterate(ColumnFamily.FLAT_STATE, snapshot, it -> {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          byte[] key = it.key();
          visitor.accept(RocksStore.decode(ColumnFamily.FLAT_STATE, key, key, Hash::wrap), Bytes.wrap(it.value()));
        }
        RocksStore.checkStatus(it, ColumnFamily.FLAT_STATE);
        return null;
      });
      return stateHead;
    });
  }

  // ---- internals ----

  RocksStore rocks() {
    return rocks;
  }

  List<Transaction> body(Hash hash) {
    byte[] body = rocks.get(ColumnFamily.BODIES, hash.unsafeArray());
    if (body == null) {
      long height = header(hash).map(BlockHeader::height).orElse(-1L);
      if (height >= 1 && height < pruned.bodiesFrom()) {
        throw new PrunedException(PrunedException.What.BLOCK, height, pruned.bodiesFrom());
      }
      throw new StorageException("missing value cf=" + ColumnFamily.BODIES.familyName() + " key=" + hash.toHex());
    }
    return RocksStore.decode(ColumnFamily.BODIES, hash.unsafeArray(), body, StoreCodec::decodeBody);
  }

  private FinalizedBlock finalized(Block block, CommitCertificate certificate) {
    if (!certificate.blockHash().equals(block.hash())) {
      throw new StorageException("corrupt value cf=certificates key=" + block.hash().toHex()
          + ": certificate is for " + certificate.blockHash().toHex());
    }
    return new FinalizedBlock(block, certificate);
  }

  private byte[] requiredRaw(ColumnFamily family, Hash key) {
    byte[] value = rocks.get(family, key.unsafeArray());
    if (value == null) {
      throw new StorageException("missing value cf=" + family.familyName() + " key=" + key.toHex());
    }
    return value;
  }

  private static <T> T required(Optional<T> value, ColumnFamily family, Hash key) {
    return value.orElseThrow(
        () -> new StorageException("missing value cf=" + family.familyName() + " key=" + key.toHex()));
  }

  @Override
  public void close() {
    rocks.close();
    LOG.info("chain store closed dir={}", rocks.dir());
  }
}
