package dev.cairn.ledger.store;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.state.CachingNodeStore;
import dev.cairn.ledger.state.TreeNodeStore;
import dev.cairn.ledger.state.TreeUpdate;
import java.util.Optional;

/**
 * The state node family as a {@link TreeNodeStore}, with the ledger's bounded LRU {@link CachingNodeStore}
 * in front (unless the configured size is 0). Nodes are content-addressed and never change, so the cache
 * needs no invalidation; nodes a commit writes go into the cache too, because the next block's tree update
 * reads exactly the top of the tree that this block replaced.
 */
final class StateNodeCache implements TreeNodeStore {
  private final CachingNodeStore cache;
  private final TreeNodeStore stored;

  StateNodeCache(RocksStore rocks, int entriesMax) {
    this.stored = nodeHash ->
        Optional.ofNullable(rocks.get(ColumnFamily.STATE_NODES, nodeHash.unsafeArray())).map(Bytes::wrap);
    this.cache = entriesMax == 0 ? null : new CachingNodeStore(stored, entriesMax);
  }

  @Override
  public Optional<Bytes> node(Hash nodeHash) {
    return cache == null ? stored.node(nodeHash) : cache.node(nodeHash);
  }

  void rememberAll(TreeUpdate update) {
    if (cache != null) {
      cache.rememberAll(update);
    }
  }

  int cachedEntries() {
    return cache == null ? 0 : cache.size();
  }
}
