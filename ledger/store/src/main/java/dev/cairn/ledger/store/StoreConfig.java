package dev.cairn.ledger.store;

import dev.cairn.ledger.state.CachingNodeStore;

/**
 * Tuning of the chain store's RocksDB. Every limit is named with its unit. The defaults suit the write
 * pattern of a ledger: one synced batch per finalized block (a few MiB at most), reads dominated by point
 * lookups by hash (headers, transactions, state nodes) and by the flat state during execution.
 *
 * @param blockCacheBytes shared LRU cache of uncompressed data blocks, across all column families
 * @param writeBufferBytes memtable size of each large column family (bodies, state nodes, flat state ...)
 * @param writeBuffersTotalBytesMax cap on all memtables together; RocksDB flushes when it is reached
 * @param walBytesMax total write-ahead-log size after which RocksDB flushes the families holding old logs
 *     (rarely written families such as metadata would otherwise pin old logs forever)
 * @param openFilesMax table files kept open (-1: unlimited, each costs a file descriptor and some memory)
 * @param backgroundJobsMax flush and compaction threads
 * @param bloomBitsPerKey bloom filter bits per key on point-lookup families (10 gives about 1% false hits)
 * @param nodeCacheEntriesMax node cache in front of the state node family (entries, 168 bytes each,
 *     allocated when the store opens)
 * @param retention how many heights of block bodies and of state to keep ({@link Retention#KEEP_ALL}: all)
 */
public record StoreConfig(
    long blockCacheBytes,
    long writeBufferBytes,
    long writeBuffersTotalBytesMax,
    long walBytesMax,
    int openFilesMax,
    int backgroundJobsMax,
    int bloomBitsPerKey,
    int nodeCacheEntriesMax,
    Retention retention) {

  private static final long MIB = 1024L * 1024L;
  /** The node cache is split into 16 locked segments; fewer entries than that cannot be shared out. */
  public static final int NODE_CACHE_ENTRIES_MIN = 16;

  public static final StoreConfig DEFAULTS =
      new StoreConfig(256 * MIB, 64 * MIB, 512 * MIB, 256 * MIB, 1024, 4, 10, 200_000);

  public StoreConfig {
    java.util.Objects.requireNonNull(retention, "retention");
    require(blockCacheBytes >= MIB, "blockCacheBytes must be at least 1 MiB");
    require(writeBufferBytes >= MIB, "writeBufferBytes must be at least 1 MiB");
    require(
        writeBuffersTotalBytesMax >= writeBufferBytes,
        "writeBuffersTotalBytesMax must be at least writeBufferBytes");
    require(walBytesMax >= writeBufferBytes, "walBytesMax must be at least writeBufferBytes");
    require(openFilesMax == -1 || openFilesMax >= 16, "openFilesMax must be -1 (unlimited) or at least 16");
    require(backgroundJobsMax >= 1 && backgroundJobsMax <= 64, "backgroundJobsMax must be 1..64");
    require(bloomBitsPerKey >= 0 && bloomBitsPerKey <= 32, "bloomBitsPerKey must be 0..32 (0: no filter)");
    require(
        nodeCacheEntriesMax == 0
            || (nodeCacheEntriesMax >= NODE_CACHE_ENTRIES_MIN && nodeCacheEntriesMax <= CachingNodeStore.NODES_MAX),
        "nodeCacheEntriesMax must be 0 (no cache) or " + NODE_CACHE_ENTRIES_MIN + ".." + CachingNodeStore.NODES_MAX);
  }

  /** A configuration that keeps all history. */
  public StoreConfig(long blockCacheBytes, long writeBufferBytes, long writeBuffersTotalBytesMax, long walBytesMax,
      int openFilesMax, int backgroundJobsMax, int bloomBitsPerKey, int nodeCacheEntriesMax) {
    this(blockCacheBytes, writeBufferBytes, writeBuffersTotalBytesMax, walBytesMax, openFilesMax, backgroundJobsMax,
        bloomBitsPerKey, nodeCacheEntriesMax, Retention.KEEP_ALL);
  }

  /** Small memory footprint for tests and tools that open many stores. */
  public static StoreConfig small() {
    return new StoreConfig(8 * MIB, 4 * MIB, 16 * MIB, 16 * MIB, 256, 2, 10, 10_000);
  }

  public StoreConfig withBlockCacheBytes(long bytes) {
    return new StoreConfig(
        bytes, writeBufferBytes, writeBuffersTotalBytesMax, walBytesMax, openFilesMax,
        backgroundJobsMax, bloomBitsPerKey, nodeCacheEntriesMax, retention);
  }

  public StoreConfig withNodeCacheEntriesMax(int entries) {
    return new StoreConfig(
        blockCacheBytes, writeBufferBytes, writeBuffersTotalBytesMax, walBytesMax, openFilesMax,
        backgroundJobsMax, bloomBitsPerKey, entries, retention);
  }

  public StoreConfig withRetention(Retention newRetention) {
    return new StoreConfig(
        blockCacheBytes, writeBufferBytes, writeBuffersTotalBytesMax, walBytesMax, openFilesMax,
        backgroundJobsMax, bloomBitsPerKey, nodeCacheEntriesMax, newRetention);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
