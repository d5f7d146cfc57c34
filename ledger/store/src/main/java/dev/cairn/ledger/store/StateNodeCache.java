package dev.cairn.ledger.store;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.state.TreeNodeStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The state node family as a {@link TreeNodeStore}, with a bounded least-recently-used cache of node
 * encodings in front. Nodes are content-addressed and never change, so the cache needs no invalidation;
 * nodes a commit writes are put in the cache too, because the next block's tree update reads exactly those.
 */
final class StateNodeCache implements TreeNodeStore {
  private final RocksStore rocks;
  private final int entriesMax;
  private final LinkedHashMap<Hash, Bytes> cache;

  StateNodeCache(RocksStore rocks, int entriesMax) {
    this.rocks = rocks;
    this.entriesMax = entriesMax;
    this.cache = new LinkedHashMap<>(Math.min(entriesMax, 1 << 16), 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Hash, Bytes> eldest) {
        return size() > StateNodeCache.this.entriesMax;
      }
    };
  }

  @Override
  public Optional<Bytes> node(Hash nodeHash) {
    Bytes cached = cached(nodeHash);
    if (cached != null) {
      return Optional.of(cached);
    }
    byte[] stored = rocks.get(ColumnFamily.STATE_NODES, nodeHash.unsafeArray());
    if (stored == null) {
      return Optional.empty();
    }
    Bytes node = Bytes.wrap(stored);
    remember(nodeHash, node);
    return Optional.of(node);
  }

  private Bytes cached(Hash nodeHash) {
    if (entriesMax == 0) {
      return null;
    }
    synchronized (cache) {
      return cache.get(nodeHash);
    }
  }

  void remember(Hash nodeHash, Bytes node) {
    if (entriesMax == 0) {
      return;
    }
    synchronized (cache) {
      cache.put(nodeHash, node);
    }
  }

  void rememberAll(Map<Hash, Bytes> nodes) {
    if (entriesMax == 0) {
      return;
    }
    synchronized (cache) {
      cache.putAll(nodes);
    }
  }

  int cachedEntries() {
    synchronized (cache) {
      return cache.size();
    }
  }
}
