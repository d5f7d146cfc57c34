package dev.cairn.ledger.store;

import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.Receipt;
import java.util.List;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the history families of a store written before they existed (schema 1), from its blocks, at open.
 * The entries are exactly those the block commits would have written (the same {@link HistoryIndex#addBlock}),
 * so an upgraded store and one that always had them are alike. A crash midway leaves the schema at 1 and the
 * next open starts over; rewriting an entry writes the same bytes. Runs before the store serves anyone.
 */
final class HistoryReindex {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryReindex.class);
  /** Blocks per write batch: bounded memory whatever the chain's length (each batch is synced). */
  static final int BLOCKS_PER_BATCH = 256;

  private HistoryReindex() {}

  static void run(ChainStore store, RocksStore rocks) {
    long headHeight = store.head().map(ChainHead::height).orElse(-1L);
    long started = System.nanoTime();
    long entries = 0;
    for (long from = 0; from <= headHeight; from += BLOCKS_PER_BATCH) {
      long to = Math.min(headHeight, from + BLOCKS_PER_BATCH - 1);
      BatchRecords batch = new BatchRecords(64 * 1024);
      for (long height = from; height <= to; height++) {
        long at = height;
        Block block = store.block(height).orElseThrow(() -> new StorageException("reindex: no block at height " + at));
        List<Receipt> receipts = store.receipts(block.hash()).orElseThrow(
            () -> new StorageException("reindex: no receipts for block " + at));
        HistoryIndex.addBlock(batch, rocks, height, block.transactions(), receipts);
      }
      entries += batch.count();
      try (WriteBatch write = batch.toWriteBatch()) {
        rocks.write(write);
      }
      LOG.info("event=history_reindex_progress height={} head={} entries={}", to, headHeight, entries);
    }
    LOG.info("event=history_reindexed dir={} blocks={} entries={} millis={}", rocks.dir(), headHeight + 1, entries,
        (System.nanoTime() - started) / 1_000_000);
  }
}
