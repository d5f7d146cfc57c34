package dev.cairn.ledger.state;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import java.util.Optional;

/**
 * Content-addressed source of authenticated-state tree nodes: a node's hash maps to its canonical encoding.
 * Nodes are immutable, so any cache in front of an implementation never needs invalidation. The RocksDB chain
 * store implements it for the shipped node; {@link MemoryNodeStore} serves genesis computation and tests.
 */
public interface TreeNodeStore {
  Optional<Bytes> node(Hash nodeHash);
}
