package dev.cairn.ledger.store;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.state.CachingNodeStore;
import dev.cairn.ledger.state.TreeNodeStore;
import dev.cairn.ledger.state.TreeUpdate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The state node family as a {@link TreeNodeStore}, with the ledger's bounded LRU {@link CachingNodeStore}
 * in front (unless the configured size is 0). Nodes are content-addressed and never change, so the cache
 * needs no invalidation; nodes a commit writes go into the cache too, because the next block's tree update
 * reads exactly the top of the tree that this block replaced.
 */
final class StateNodeCache implements TreeNodeStore {
  private final CachingNodeStore cache;
  private final TreeNodeStore stored;
  /** Reads that missed the cache and went to RocksDB: the load-insensitive measure of the cache's worth. */
  private final LongAdder storedReads = new LongAdder();

  StateNodeCache(RocksStore rocks, int entriesMax) {
    this.stored = new StoredNodes(rocks);
    this.cache = entriesMax == 0 ? null : new CachingNodeStore(stored, entriesMax);
  }

  @Override
  public Optional<Bytes> node(Hash nodeHash) {
    return cache == null ? stored.node(nodeHash) : cache.node(nodeHash);
  }

  @Override
  public Map<Hash, Bytes> nodes(Collection<Hash> nodeHashes) {
    return cache == null ? stored.nodes(nodeHashes) : cache.nodes(nodeHashes);
  }

  /** The state node family itself, counting every key it is asked for. */
  private final class StoredNodes implements TreeNodeStore {
    private final RocksStore rocks;

    StoredNodes(RocksStore rocks) {
      this.rocks = rocks;
    }

    @Override
    public Optional<Bytes> node(Hash nodeHash) {
      storedReads.increment();
      return Optional.ofNullable(rocks.get(ColumnFamily.STATE_NODES, nodeHash.unsafeArray())).map(Bytes::wrap);
    }

    @Override
    public Map<Hash, Bytes> nodes(Collection<Hash> nodeHashes) {
      storedReads.add(nodeHashes.size());
      List<Hash> hashes = List.copyOf(nodeHashes);
      List<byte[]> keys = new ArrayList<>(hashes.size());
      for (Hash nodeHash : hashes) {
        keys.add(nodeHash.unsafeArray());
      }
      List<byte[]> values = rocks.multiGet(ColumnFamily.STATE_NODES, keys);
      Map<Hash, Bytes> found = HashMap.newHashMap(hashes.size());
      for (int i = 0; i < hashes.size(); i++) {
        if (values.get(i) != null) {
          found.put(hashes.get(i), Bytes.wrap(values.get(i)));
        }
      }
      return found;
    }
  }

  void rememberAll(TreeUpdate update) {
    if (cache != null) {
      cache.rememberAll(update);
    }
  }

  long storedReads() {
    return storedReads.sum();
  }

  int cachedEntries() {
    return cache == null ? 0 : cache.size();
  }
}
