package dev.cairn.ledger.state;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Content-addressed source of authenticated-state tree nodes: a node's hash maps to its canonical encoding.
 * Nodes are immutable, so any cache in front of an implementation never needs invalidation. The RocksDB chain
 * store implements it for the shipped node; {@link MemoryNodeStore} serves genesis computation and tests.
 */
public interface TreeNodeStore {
  Optional<Bytes> node(Hash nodeHash);

  /**
   * The encodings of those of {@code nodeHashes} that the store holds (a missing node is simply absent). A
   * batched update asks for a whole level of the tree at once, so a store that pays a fixed cost per call
   * (a JNI round trip and an LSM lookup in RocksDB) overrides this with one multi-key read.
   */
  default Map<Hash, Bytes> nodes(Collection<Hash> nodeHashes) {
    Map<Hash, Bytes> found = HashMap.newHashMap(nodeHashes.size());
    for (Hash nodeHash : nodeHashes) {
      node(nodeHash).ifPresent(encoding -> found.put(nodeHash, encoding));
    }
    return found;
  }
}
