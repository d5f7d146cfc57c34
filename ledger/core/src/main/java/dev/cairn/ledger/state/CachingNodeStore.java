package dev.cairn.ledger.state;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A bounded least-recently-used cache in front of a {@link TreeNodeStore}. Nodes are immutable and
 * content-addressed, so a cached node can never be stale and nothing is ever invalidated. The top levels of
 * the tree are on every path, so even a small cache saves most reads of a block's update. Split into
 * independently locked segments (by node hash) so readers on other threads rarely wait for each other.
 */
public final class CachingNodeStore implements TreeNodeStore {
  private static final int SEGMENTS = 16;

  private final TreeNodeStore backing;
  private final int nodesMax;
  private final Segment[] segments = new Segment[SEGMENTS];

  /** Caches up to {@code nodesMax} nodes read from {@code backing}. */
  public CachingNodeStore(TreeNodeStore backing, int nodesMax) {
    this.backing = Objects.requireNonNull(backing, "backing");
    if (nodesMax < SEGMENTS) {
      throw new IllegalArgumentException("nodesMax must be at least " + SEGMENTS + ", got " + nodesMax);
    }
    this.nodesMax = nodesMax;
    for (int i = 0; i < SEGMENTS; i++) {
      segments[i] = new Segment(nodesMax / SEGMENTS);
    }
  }

  @Override
  public Optional<Bytes> node(Hash nodeHash) {
    Segment segment = segmentOf(nodeHash);
    Bytes cached;
    synchronized (segment) {
      cached = segment.get(nodeHash);
    }
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<Bytes> found = backing.node(nodeHash);
    found.ifPresent(encoding -> remember(nodeHash, encoding));
    return found;
  }

  /**
   * Serves what the cache holds and fetches all the misses from the backing store in one call, without
   * caching them. Batched reads come from a tree update, and every node an update reads lies on a changed
   * path, so the update replaces it: once the block commits, the cache needs the new nodes
   * ({@link #rememberAll}), not these. Caching them cost a block ~35,000 LRU inserts and evictions and
   * pushed live nodes out.
   */
  @Override
  public Map<Hash, Bytes> nodes(Collection<Hash> nodeHashes) {
    Map<Hash, Bytes> found = HashMap.newHashMap(nodeHashes.size());
    List<Hash> misses = new ArrayList<>();
    for (Hash nodeHash : nodeHashes) {
      Segment segment = segmentOf(nodeHash);
      Bytes cached;
      synchronized (segment) {
        cached = segment.get(nodeHash);
      }
      if (cached != null) {
        found.put(nodeHash, cached);
      } else {
        misses.add(nodeHash);
      }
    }
    if (!misses.isEmpty()) {
      found.putAll(backing.nodes(misses));
    }
    return found;
  }

  /**
   * Adds nodes the caller just wrote (a committed block's {@link TreeUpdate}): the next block walks the same
   * top of the tree, whose nodes this block replaced.
   */
  public void rememberAll(TreeUpdate update) {
    for (Map.Entry<Hash, Bytes> node : update.newNodes().entrySet()) {
      remember(node.getKey(), node.getValue());
    }
  }

  private void remember(Hash nodeHash, Bytes encoding) {
    Segment segment = segmentOf(nodeHash);
    synchronized (segment) {
      segment.put(nodeHash, encoding);
    }
  }

  /** The number of nodes cached now (at most {@link #nodesMax()}). */
  public int size() {
    int total = 0;
    for (Segment segment : segments) {
      synchronized (segment) {
        total += segment.size();
      }
    }
    return total;
  }

  public int nodesMax() {
    return nodesMax;
  }

  private Segment segmentOf(Hash nodeHash) {
    // Node hashes are uniform, so their own hash code spreads them evenly.
    return segments[(nodeHash.hashCode() & 0x7FFF_FFFF) % SEGMENTS];
  }

  private static final class Segment extends LinkedHashMap<Hash, Bytes> {
    private final int entriesMax;

    Segment(int entriesMax) {
      super(16, 0.75f, true);
      this.entriesMax = entriesMax;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<Hash, Bytes> eldest) {
      return size() > entriesMax;
    }
  }
}
