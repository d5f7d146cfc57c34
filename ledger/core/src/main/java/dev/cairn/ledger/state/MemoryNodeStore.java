package dev.cairn.ledger.state;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tree nodes held in memory: computes the genesis state root before any database exists, and backs tests
 * and tools. Thread-safe. Unbounded by design (it holds what it is given); the node's own store is RocksDB.
 */
public final class MemoryNodeStore implements TreeNodeStore {
  private final ConcurrentHashMap<Hash, Bytes> nodes = new ConcurrentHashMap<>();

  @Override
  public Optional<Bytes> node(Hash nodeHash) {
    return Optional.ofNullable(nodes.get(nodeHash));
  }

  /** Stores the nodes an {@link SparseMerkleTree#apply} created, making its root readable. */
  public void putAll(TreeUpdate update) {
    nodes.putAll(update.newNodes());
  }

  public void put(Hash nodeHash, Bytes encoding) {
    nodes.put(Objects.requireNonNull(nodeHash, "nodeHash"), Objects.requireNonNull(encoding, "encoding"));
  }

  /** The number of nodes held. */
  public int size() {
    return nodes.size();
  }
}
