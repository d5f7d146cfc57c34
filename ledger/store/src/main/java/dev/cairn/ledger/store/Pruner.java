package dev.cairn.ledger.store;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.model.Transaction;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;

/**
 * One bounded step of pruning (docs/storage.md, "Pruning"), prepared as one batch that also moves the
 * persisted {@link PrunedHeights}: a crash leaves either the whole step or none of it. The caller holds the
 * commit lock from preparing the step to writing it, so no block commits in between (a commit may bring a
 * stale node back, which must then not be deleted).
 *
 * <p>Blocks: the bodies, receipts and transaction-index entries of the lowest kept heights, up to the
 * retention's horizon. State: the stale-node entries of the lowest heights up to the horizon; a node is
 * deleted only if its marker still names that height, that is if no later block replaced it again (its
 * own later entry deletes it then) and none brought it back (which deleted the marker).
 */
final class Pruner {
  private Pruner() {}

  /**
   * Among a block's new nodes, those that carry a stale marker: an earlier block replaced them and this one
   * brings them back (a value set back to an earlier one), so pruning that earlier replacement must keep them.
   * One MultiGet; nearly all keys are absent, which the family's bloom filter answers in memory.
   */
  static List<Hash> revived(RocksStore rocks, java.util.Set<Hash> newNodes) {
    if (newNodes.isEmpty()) {
      return List.of();
    }
    List<Hash> hashes = List.copyOf(newNodes);
    List<byte[]> keys = new ArrayList<>(hashes.size());
    for (Hash hash : hashes) {
      keys.add(hash.unsafeArray());
    }
    List<byte[]> markers = rocks.multiGet(ColumnFamily.STALE_MARKERS, keys);
    List<Hash> revived = new ArrayList<>();
    for (int i = 0; i < hashes.size(); i++) {
      if (markers.get(i) != null) {
        revived.add(hashes.get(i));
      }
    }
    return revived;
  }

  /** What a step did; {@code batch} is null when there was nothing to do. */
  record Step(BatchRecords batch, PrunedHeights pruned, long blockBodies, long stateNodes, long staleEntries, boolean moreWork) {}

  static Step prepare(ChainStore store, RocksStore rocks, Retention retention, PrunedHeights pruned, long headHeight) {
    BatchRecords batch = new BatchRecords(64 * 1024);
    long budget = retention.pruneBatchEntriesMax();
    long bodiesFrom = pruned.bodiesFrom();
    long blockBodies = 0;
    boolean moreWork = false;
    if (retention.prunesBlocks()) {
      long target = headHeight - retention.retainBlocks() + 1;
      // At least one block per step, however many transactions it holds: a step must make progress.
      while (bodiesFrom < target && (blockBodies == 0 || budget > 0)) {
        budget -= pruneBody(store, rocks, batch, bodiesFrom);
        bodiesFrom++;
        blockBodies++;
      }
      moreWork = bodiesFrom < target;
    }
    long stateFrom = pruned.stateFrom();
    long stateNodes = 0;
    long staleEntries = 0;
    if (retention.prunesState()) {
      long target = headHeight - retention.retainState() + 1;
      if (target >= stateFrom) { // equal: entries of the height stateFrom itself may remain from a step cut short
        StaleScan scan = scanStale(rocks, target, Math.max(1, budget));
        stateNodes = deleteUnrevived(rocks, batch, scan.entries());
        staleEntries = scan.entries().size();
        // Entries of the next height may be half done: its parent's tree lost nodes, its own tree did not.
        stateFrom = Math.max(stateFrom, scan.nextHeight() >= 0 ? scan.nextHeight() : target);
        moreWork |= scan.nextHeight() >= 0;
      }
    }
    PrunedHeights after = new PrunedHeights(bodiesFrom, stateFrom);
    if (after.equals(pruned) && blockBodies == 0 && staleEntries == 0) {
      return new Step(null, pruned, 0, 0, 0, false);
    }
    batch.put(rocks.handle(ColumnFamily.METADATA), StoreCodec.META_PRUNED, StoreCodec.encodePruned(after));
    return new Step(batch, after, blockBodies, stateNodes, staleEntries, moreWork);
  }

  /**
   * Deletes one block's body, receipts, tx-index entries and history entries (an account's or a record's
   * history reaches back as far as the blocks it points at); returns the keys deleted.
   */
  private static long pruneBody(ChainStore store, RocksStore rocks, BatchRecords batch, long height) {
    Hash hash = store.hashAt(height).orElseThrow(() -> new StorageException("missing value cf=heights at height "
        + height + " below the head while pruning"));
    byte[] body = rocks.get(ColumnFamily.BODIES, hash.unsafeArray());
    long deleted = 2;
    if (body != null) {
      List<Transaction> txs = RocksStore.decode(ColumnFamily.BODIES, hash.unsafeArray(), body, StoreCodec::decodeBody);
      ColumnFamilyHandle txIndex = rocks.handle(ColumnFamily.TX_INDEX);
      ColumnFamilyHandle accountHistory = rocks.handle(ColumnFamily.ACCOUNT_HISTORY);
      ColumnFamilyHandle recordHistory = rocks.handle(ColumnFamily.RECORD_HISTORY);
      for (int i = 0; i < txs.size(); i++) {
        Transaction tx = txs.get(i);
        batch.delete(txIndex, tx.id().unsafeArray());
        for (dev.cairn.ledger.crypto.Address party : dev.cairn.ledger.model.TxParty.of(tx).keySet()) {
          batch.delete(accountHistory, HistoryIndex.entryKey(HistoryIndex.accountPrefix(party), height, i));
          deleted++;
        }
        // A failed put has no entry; deleting a key that is not there is harmless.
        if (tx.payload() instanceof dev.cairn.ledger.model.Payload.RecordPut put) {
          batch.delete(recordHistory, HistoryIndex.entryKey(HistoryIndex.recordPrefix(tx.senderAddress(), put.key()), height, i));
          deleted++;
        }
      }
      deleted += txs.size();
    }
    batch.delete(rocks.handle(ColumnFamily.BODIES), hash.unsafeArray());
    batch.delete(rocks.handle(ColumnFamily.RECEIPTS), hash.unsafeArray());
    return deleted;
  }

  private record StaleEntry(byte[] key, long height, byte[] node) {}

  /** The lowest stale entries at or below {@code throughHeight}, at most {@code entriesMax}, and the next one's height (-1: none left). */
  private record StaleScan(List<StaleEntry> entries, long nextHeight) {}

  private static StaleScan scanStale(RocksStore rocks, long throughHeight, long entriesMax) {
    return rocks.iterate(ColumnFamily.STALE_NODES, it -> {
      List<StaleEntry> entries = new ArrayList<>();
      long next = -1;
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] key = it.key();
        long height = RocksStore.decode(ColumnFamily.STALE_NODES, key, key, StoreCodec::staleHeight);
        if (height > throughHeight) {
          break;
        }
        if (entries.size() >= entriesMax) {
          next = height;
          break;
        }
        entries.add(new StaleEntry(key, height, StoreCodec.staleNode(key)));
      }
      RocksStore.checkStatus(it, ColumnFamily.STALE_NODES);
      return new StaleScan(entries, next);
    });
  }

  /** Deletes each entry, and its node with its marker where the marker still names the entry's height. */
  private static long deleteUnrevived(RocksStore rocks, BatchRecords batch, List<StaleEntry> entries) {
    if (entries.isEmpty()) {
      return 0;
    }
    List<byte[]> nodes = new ArrayList<>(entries.size());
    for (StaleEntry entry : entries) {
      nodes.add(entry.node());
    }
    List<byte[]> markers = rocks.multiGet(ColumnFamily.STALE_MARKERS, nodes);
    ColumnFamilyHandle staleNodes = rocks.handle(ColumnFamily.STALE_NODES);
    ColumnFamilyHandle markerFamily = rocks.handle(ColumnFamily.STALE_MARKERS);
    ColumnFamilyHandle stateNodes = rocks.handle(ColumnFamily.STATE_NODES);
    long deleted = 0;
    for (int i = 0; i < entries.size(); i++) {
      StaleEntry entry = entries.get(i);
      byte[] marker = markers.get(i);
      batch.delete(staleNodes, entry.key());
      // (height, node) keys are unique, so at most one entry matches a node's marker.
      if (marker != null && StoreCodec.decodeHeight(marker) == entry.height()) {
        batch.delete(stateNodes, entry.node());
        batch.delete(markerFamily, entry.node());
        deleted++;
      }
    }
    return deleted;
  }
}
