package dev.cairn.ledger.store;

import dev.cairn.ledger.encoding.CodecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.DataBlockIndexType;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB database under the chain store: opening with per-family options, raw reads and writes, and the
 * translation of every RocksDB failure and every undecodable value into a {@link StorageException} that names
 * the column family and key. Knows bytes, not blocks.
 */
final class RocksStore implements AutoCloseable {
  private static final HexFormat HEX = HexFormat.of();
  /** Families written a few bytes per block; a large memtable would only hold the WAL longer. */
  private static final long SMALL_FAMILY_WRITE_BUFFER_BYTES = 4L * 1024 * 1024;

  static {
    // Extracts and loads the JNI library once per class loader; later calls are no-ops.
    RocksDB.loadLibrary();
  }

  private final Path dir;
  private final RocksDB db;
  private final DBOptions dbOptions;
  private final LRUCache blockCache;
  private final BloomFilter bloomFilter;
  private final List<ColumnFamilyOptions> familyOptions;
  private final ColumnFamilyHandle defaultHandle;
  private final Map<ColumnFamily, ColumnFamilyHandle> handles;
  private final WriteOptions syncWrite;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  private RocksStore(
      Path dir, RocksDB db, DBOptions dbOptions, LRUCache blockCache, BloomFilter bloomFilter,
      List<ColumnFamilyOptions> familyOptions, List<ColumnFamilyHandle> openedHandles) {
    this.dir = dir;
    this.db = db;
    this.dbOptions = dbOptions;
    this.blockCache = blockCache;
    this.bloomFilter = bloomFilter;
    this.familyOptions = familyOptions;
    this.defaultHandle = openedHandles.get(0);
    this.handles = new EnumMap<>(ColumnFamily.class);
    for (ColumnFamily family : ColumnFamily.values()) {
      handles.put(family, openedHandles.get(family.ordinal() + 1));
    }
    // Every write the store makes is a commit point: the WAL is fsynced before write() returns.
    this.syncWrite = new WriteOptions().setSync(true);
  }

  static RocksStore open(Path dir, StoreConfig config) {
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new StorageException("cannot create store directory " + dir, e);
    }
    DBOptions dbOptions = new DBOptions()
        .setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        .setMaxOpenFiles(config.openFilesMax())
        .setMaxBackgroundJobs(config.backgroundJobsMax())
        .setMaxTotalWalSize(config.walBytesMax())
        .setDbWriteBufferSize(config.writeBuffersTotalBytesMax())
        .setKeepLogFileNum(5)
        // Every write the store makes is synced before it is acknowledged (a vote, a lock, a block), so no
        // acknowledged record may be skipped at recovery: RocksDB's default (point in time) stops replay silently
        // at the first corrupt record and opens without everything after it. This mode refuses to open on a
        // corrupt record anywhere, and tolerates only a last record cut short (a write the process died inside,
        // never acknowledged); absolute consistency would refuse that too and leave a validator killed in the
        // middle of a write unable to restart. The error says what to do.
        .setWalRecoveryMode(org.rocksdb.WALRecoveryMode.TolerateCorruptedTailRecords)
        .setInfoLogLevel(InfoLogLevel.WARN_LEVEL);
    LRUCache blockCache = new LRUCache(config.blockCacheBytes());
    BloomFilter bloom = new BloomFilter(Math.max(1, config.bloomBitsPerKey()), false);
    List<ColumnFamilyOptions> familyOptions = new ArrayList<>();
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    ColumnFamilyOptions defaultOptions = new ColumnFamilyOptions();
    familyOptions.add(defaultOptions);
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, defaultOptions));
    for (ColumnFamily family : ColumnFamily.values()) {
      ColumnFamilyOptions options = familyOptions(family, config, blockCache, bloom);
      familyOptions.add(options);
      descriptors.add(new ColumnFamilyDescriptor(family.nameBytes(), options));
    }
    List<ColumnFamilyHandle> opened = new ArrayList<>();
    try {
      RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, opened);
      return new RocksStore(dir, db, dbOptions, blockCache, bloom, familyOptions, opened);
    } catch (RocksDBException e) {
      familyOptions.forEach(ColumnFamilyOptions::close);
      bloom.close();
      blockCache.close();
      dbOptions.close();
      String reason = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
      if (reason.contains("corrupt") || reason.contains("checksum")) {
        throw new StorageException("the write-ahead log of the chain store at " + dir + " is corrupt, so writes it "
            + "acknowledged (blocks, this validator's votes and locks) may be lost: do not start this validator from it; "
            + "move the directory aside and start on an empty data dir to re-sync from peers once the network has "
            + "finalized past this node's last height (docs/operations.md, \"Data directory\"). RocksDB: " + e.getMessage(), e);
      }
      throw new StorageException("cannot open chain store at " + dir + ": " + e.getMessage(), e);
    }
  }

  private static ColumnFamilyOptions familyOptions(
      ColumnFamily family, StoreConfig config, LRUCache blockCache, BloomFilter bloom) {
    BlockBasedTableConfig table = new BlockBasedTableConfig()
        .setBlockCache(blockCache)
        .setCacheIndexAndFilterBlocks(true)
        .setPinL0FilterAndIndexBlocksInCache(true);
    ColumnFamilyOptions options = new ColumnFamilyOptions()
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
        .setLevelCompactionDynamicLevelBytes(true);
    boolean large = switch (family) {
      case BODIES, RECEIPTS, STATE_NODES, FLAT_STATE, TX_INDEX, STALE_NODES, STALE_MARKERS, ACCOUNT_HISTORY -> true;
      default -> false;
    };
    options.setWriteBufferSize(
        large ? config.writeBufferBytes() : Math.min(config.writeBufferBytes(), SMALL_FAMILY_WRITE_BUFFER_BYTES));
    if (family.access() == ColumnFamily.Access.POINT && config.bloomBitsPerKey() > 0) {
      // What RocksDB's optimizeForPointLookup sets, but sharing one block cache instead of one per family.
      table.setFilterPolicy(bloom).setDataBlockIndexType(DataBlockIndexType.kDataBlockBinaryAndHash);
      options.setMemtableWholeKeyFiltering(true).setMemtablePrefixBloomSizeRatio(0.02);
    }
    if (family == ColumnFamily.STATE_NODES) {
      // Nodes are only ever fetched by a hash some parent references, so lookups hit: the last level
      // (most of the data) needs no filter.
      options.setOptimizeFiltersForHits(true);
      // Node encodings are hashes (keys too): LZ4/ZSTD cannot shrink them, so compressing every flushed and
      // compacted block only burns the CPU a block's execution needs.
      options.setCompressionType(CompressionType.NO_COMPRESSION)
          .setBottommostCompressionType(CompressionType.NO_COMPRESSION);
    }
    options.setTableFormatConfig(table);
    return options;
  }

  Path dir() {
    return dir;
  }

  byte[] get(ColumnFamily family, byte[] key) {
    return guarded(() -> {
      try {
        return db.get(handles.get(family), key);
      } catch (RocksDBException e) {
        throw new StorageException("read failed cf=" + family.familyName() + " key=" + hex(key), e);
      }
    });
  }

  /**
   * Reads many keys of one family in one call (RocksDB MultiGet: one JNI crossing, lookups batched per LSM
   * level); the result has one entry per key, in order, null where the key is absent.
   */
  List<byte[]> multiGet(ColumnFamily family, List<byte[]> keys) {
    return guarded(() -> {
      try {
        return db.multiGetAsList(java.util.Collections.nCopies(keys.size(), handles.get(family)), keys);
      } catch (RocksDBException e) {
        throw new StorageException("multi-key read of " + keys.size() + " keys failed cf=" + family.familyName(), e);
      }
    });
  }

  /** Reads and decodes one value; bytes that do not decode are corruption, reported with family and key. */
  <T> T get(ColumnFamily family, byte[] key, Function<byte[], T> decoder) {
    byte[] value = get(family, key);
    return value == null ? null : decode(family, key, value, decoder);
  }

  static <T> T decode(ColumnFamily family, byte[] key, byte[] value, Function<byte[], T> decoder) {
    try {
      return decoder.apply(value);
    } catch (CodecException | IllegalArgumentException e) {
      throw new StorageException(
          "corrupt value cf=" + family.familyName() + " key=" + hex(key) + ": " + e.getMessage(), e);
    }
  }

  /**
   * A numeric RocksDB property summed over the column families ({@code sharedOnce}: the families share the
   * one object it measures, such as the block cache, so one family's figure is the whole), or -1 when RocksDB
   * does not know it. Scraped by metrics while the node runs; a closed store answers -1, not an exception.
   */
  long aggregatedProperty(String property, boolean sharedOnce) {
    try {
      return guarded(() -> {
        long sum = 0;
        for (ColumnFamilyHandle handle : handles.values()) {
          try {
            long value = db.getLongProperty(handle, property);
            if (sharedOnce) {
              return value;
            }
            sum += value;
          } catch (RocksDBException e) {
            return -1L;
          }
        }
        return sum;
      });
    } catch (StorageException closed) {
      return -1;
    }
  }

  /** Writes one key with a synced WAL (metadata outside block commits). */
  void putSynced(ColumnFamily family, byte[] key, byte[] value) {
    try (WriteBatch batch = new WriteBatch()) {
      batch.put(handles.get(family), key, value);
      write(batch);
    } catch (RocksDBException e) {
      throw new StorageException("write failed cf=" + family.familyName() + " key=" + hex(key), e);
    }
  }

  void deleteSynced(ColumnFamily family, byte[] key) {
    try (WriteBatch batch = new WriteBatch()) {
      batch.delete(handles.get(family), key);
      write(batch);
    } catch (RocksDBException e) {
      throw new StorageException("delete failed cf=" + family.familyName() + " key=" + hex(key), e);
    }
  }

  /**
   * Writes every column family's memtable to table files and waits for it. After a very large batch (a
   * state-sync install: millions of keys) this spares the next open a replay of that batch from the WAL,
   * which took ~25 s for a 1M-account state; the data was already durable, so this changes no guarantee.
   */
  void flushMemtables() {
    guarded(() -> {
      try (FlushOptions options = new FlushOptions().setWaitForFlush(true)) {
        db.flush(options, new ArrayList<>(handles.values()));
        return null;
      } catch (RocksDBException e) {
        throw new StorageException("flush failed in " + dir + ": " + e.getMessage(), e);
      }
    });
  }

  /** Applies a batch atomically; returns only once the WAL holding it is on disk. */
  void write(WriteBatch batch) {
    guarded(() -> {
      try {
        db.write(syncWrite, batch);
        return null;
      } catch (RocksDBException e) {
        throw new StorageException("batch write failed in " + dir + ": " + e.getMessage(), e);
      }
    });
  }

  /**
   * Writes a consistent copy of the whole database to {@code target} (which must not exist) while writers
   * keep writing: RocksDB flushes the memtables, hard-links the immutable table files (a copy where the
   * target is on another file system) and copies the small live files. Cheap and online: no write waits for
   * more than the flush.
   */
  void checkpoint(Path target) {
    guarded(() -> {
      try (org.rocksdb.Checkpoint checkpoint = org.rocksdb.Checkpoint.create(db)) {
        checkpoint.createCheckpoint(target.toString());
        return null;
      } catch (RocksDBException e) {
        throw new StorageException("checkpoint of " + dir + " into " + target + " failed: " + e.getMessage(), e);
      }
    });
  }

  /**
   * Deletes every key of {@code family} with one range tombstone (synced); returns whether it held any. For
   * families of bookkeeping that a setting change makes obsolete, not for chain data.
   */
  boolean clear(ColumnFamily family) {
    byte[][] bounds = iterate(family, it -> {
      it.seekToFirst();
      if (!it.isValid()) {
        checkStatus(it, family);
        return null;
      }
      byte[] first = it.key();
      it.seekToLast();
      // The range end is exclusive: the last key with a zero byte appended is the next key after it.
      return new byte[][] {first, java.util.Arrays.copyOf(it.key(), it.key().length + 1)};
    });
    if (bounds == null) {
      return false;
    }
    guarded(() -> {
      try (WriteBatch batch = new WriteBatch()) {
        batch.deleteRange(handles.get(family), bounds[0], bounds[1]);
        db.write(syncWrite, batch);
        return null;
      } catch (RocksDBException e) {
        throw new StorageException("clearing cf=" + family.familyName() + " failed: " + e.getMessage(), e);
      }
    });
    return true;
  }

  ColumnFamilyHandle handle(ColumnFamily family) {
    return handles.get(family);
  }

  /** Runs {@code body} over a fresh iterator of {@code family}; the store cannot close meanwhile. */
  <T> T iterate(ColumnFamily family, Function<RocksIterator, T> body) {
    return guarded(() -> {
      try (RocksIterator it = db.newIterator(handles.get(family))) {
        return body.apply(it);
      }
    });
  }

  /** Runs {@code body} over one point-in-time view of all families; the store cannot close meanwhile. */
  <T> T withSnapshot(Function<Snapshot, T> body) {
    return guarded(() -> {
      try (Snapshot snapshot = new Snapshot(db, db.getSnapshot())) {
        return body.apply(snapshot);
      }
    });
  }

  /** A consistent point-in-time view across all families (no commit can be half-visible in it). */
  static final class Snapshot implements AutoCloseable {
    private final RocksDB db;
    private final org.rocksdb.Snapshot snapshot;
    private final ReadOptions readOptions;

    private Snapshot(RocksDB db, org.rocksdb.Snapshot snapshot) {
      this.db = db;
      this.snapshot = snapshot;
      this.readOptions = new ReadOptions().setSnapshot(snapshot);
    }

    ReadOptions readOptions() {
      return readOptions;
    }

    @Override
    public void close() {
      readOptions.close();
      db.releaseSnapshot(snapshot);
    }
  }

  <T> T iterate(ColumnFamily family, Snapshot snapshot, Function<RocksIterator, T> body) {
    return guarded(() -> {
      try (RocksIterator it = db.newIterator(handles.get(family), snapshot.readOptions())) {
        return body.apply(it);
      }
    });
  }

  byte[] get(ColumnFamily family, byte[] key, Snapshot snapshot) {
    return guarded(() -> {
      try {
        return db.get(handles.get(family), snapshot.readOptions(), key);
      } catch (RocksDBException e) {
        throw new StorageException("read failed cf=" + family.familyName() + " key=" + hex(key), e);
      }
    });
  }

  /** An iterator that stops being valid may have hit an I/O error rather than the end: ask it. */
  static void checkStatus(RocksIterator it, ColumnFamily family) {
    try {
      it.status();
    } catch (RocksDBException e) {
      throw new StorageException("iteration failed cf=" + family.familyName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Every use of a native handle runs under the read side of the lifecycle lock and {@link #close} takes the
   * write side: a read racing with close gets a StorageException instead of touching freed native memory
   * (which would crash the JVM).
   */
  private <T> T guarded(Supplier<T> action) {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new StorageException("chain store at " + dir + " is closed");
      }
      return action.get();
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  static String hex(byte[] key) {
    return HEX.formatHex(key);
  }

  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      closeNative();
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  private void closeNative() {
    syncWrite.close();
    for (ColumnFamilyHandle handle : handles.values()) {
      handle.close();
    }
    defaultHandle.close();
    try {
      db.closeE();
    } catch (RocksDBException e) {
      throw new StorageException("closing chain store at " + dir + " failed: " + e.getMessage(), e);
    } finally {
      familyOptions.forEach(ColumnFamilyOptions::close);
      bloomFilter.close();
      blockCache.close();
      dbOptions.close();
    }
  }
}
