package dev.cairn.ledger.state;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A bounded cache in front of a {@link TreeNodeStore}. Nodes are immutable and content-addressed, so a
 * cached node can never be stale and nothing is ever invalidated. The top levels of the tree are on every
 * path, so even a small cache saves most reads of a block's update.
 *
 * <p>Compact by design: the cache is a few large arrays of fixed-size slots (node hash, encoding length,
 * encoding; an 8-byte tag of the hash per slot in a separate array), allocated once, set-associative ({@value #WAYS} slots per set, chosen by the node
 * hash) with CLOCK replacement (a single read's hit marks its slot; an insert evicts the first unmarked slot
 * of its set, clearing marks as it passes). It replaced a {@code LinkedHashMap} LRU whose ~5 objects per entry made a
 * block's ~91,000 inserts (and evictions) a visible share of the commit, and whose entries, each new one
 * surviving into the old generation, made every young GC copy tens of MiB: primitive arrays hold no
 * references, so the garbage collector neither scans nor copies the cache. Encodings longer than
 * {@link #ENCODING_BYTES_MAX} (leaves of large values) are not cached and always read from the backing
 * store. Split into independently locked segments so readers on other threads rarely wait for each other.
 */
public final class CachingNodeStore implements TreeNodeStore {
  private static final int SEGMENTS = 16;
  /** Slots per set: enough that uniform hashes rarely evict a recently used node early. */
  private static final int WAYS = 8;
  /** An inner node (65 bytes) and the leaf of any value up to 90 bytes (an account) fit a slot. */
  public static final int ENCODING_BYTES_MAX = 127;
  private static final int LENGTH_OFFSET = Hash.SIZE;
  private static final int ENCODING_OFFSET = Hash.SIZE + 1;
  private static final int SLOT_BYTES = ENCODING_OFFSET + ENCODING_BYTES_MAX;
  /** One segment's slot array must stay below the JVM's array size limit. */
  public static final int NODES_MAX = SEGMENTS * ((Integer.MAX_VALUE - 64) / SLOT_BYTES);
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final TreeNodeStore backing;
  private final int nodesMax;
  private final Segment[] segments = new Segment[SEGMENTS];

  /** Caches up to {@code nodesMax} nodes read from {@code backing} ({@code nodesMax} x 168 bytes, allocated now). */
  public CachingNodeStore(TreeNodeStore backing, int nodesMax) {
    this.backing = Objects.requireNonNull(backing, "backing");
    if (nodesMax < SEGMENTS || nodesMax > NODES_MAX) {
      throw new IllegalArgumentException(
          "nodesMax must be between " + SEGMENTS + " and " + NODES_MAX + ", got " + nodesMax);
    }
    int slotsPerSegment = nodesMax / SEGMENTS;
    int ways = Math.min(WAYS, slotsPerSegment);
    int sets = slotsPerSegment / ways;
    for (int i = 0; i < SEGMENTS; i++) {
      segments[i] = new Segment(sets, ways);
    }
    this.nodesMax = SEGMENTS * sets * ways;
  }

  @Override
  public Optional<Bytes> node(Hash nodeHash) {
    Bytes cached = cached(nodeHash, true);
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
   * ({@link #rememberAll}), not these. Caching them cost a block ~35,000 inserts and evictions and
   * pushed live nodes out.
   */
  @Override
  public Map<Hash, Bytes> nodes(Collection<Hash> nodeHashes) {
    Map<Hash, Bytes> found = HashMap.newHashMap(nodeHashes.size());
    List<Hash> misses = new ArrayList<>();
    for (Hash nodeHash : nodeHashes) {
      // A hit here does not mark its slot: the update replaces this node, so it should go first, not last.
      Bytes cached = cached(nodeHash, false);
      if (cached != null) {
        found.put(nodeHash, cached);
      } else {
        misses.add(nodeHash);
      }
    }
    if (found.isEmpty()) {
      // The deep levels of an update: every node misses, so the backing store's map is the answer.
      return misses.isEmpty() ? found : backing.nodes(misses);
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

  private Bytes cached(Hash nodeHash, boolean mark) {
    long mix = mix(nodeHash);
    Segment segment = segments[segmentIndex(mix)];
    synchronized (segment) {
      return segment.get(nodeHash.unsafeArray(), mix, mark);
    }
  }

  private void remember(Hash nodeHash, Bytes encoding) {
    if (encoding.size() > ENCODING_BYTES_MAX) {
      return;
    }
    long mix = mix(nodeHash);
    Segment segment = segments[segmentIndex(mix)];
    synchronized (segment) {
      segment.put(nodeHash.unsafeArray(), encoding.unsafeArray(), mix);
    }
  }

  /** The number of nodes cached now (at most {@link #nodesMax()}). */
  public int size() {
    int total = 0;
    for (Segment segment : segments) {
      synchronized (segment) {
        total += segment.size;
      }
    }
    return total;
  }

  /** The capacity: the configured maximum rounded down to whole sets. */
  public int nodesMax() {
    return nodesMax;
  }

  /**
   * 64 well-mixed bits of a node hash. Real node hashes are uniform already; the mix spreads hashes that
   * differ in a few bytes only (tests, crafted keys) over all segments and sets too.
   */
  private static long mix(Hash nodeHash) {
    byte[] bytes = nodeHash.unsafeArray();
    long folded = 0;
    for (int i = 0; i < Hash.SIZE; i += Long.BYTES) {
      folded = folded * 0x9E37_79B9_7F4A_7C15L + (long) LONGS.get(bytes, i);
    }
    folded ^= folded >>> 33;
    folded *= 0xFF51_AFD7_ED55_8CCDL;
    folded ^= folded >>> 33;
    return folded;
  }

  private static int segmentIndex(long mix) {
    return (int) (mix >>> 60) & (SEGMENTS - 1);
  }

  /** One independently locked part of the cache; every method runs under the segment's monitor. */
  private static final class Segment {
    private final int sets;
    private final int ways;
    /**
     * Per slot: a tag of the node hash (its mix, never 0), 0 for an empty slot. A set's tags share one cache
     * line, so a lookup touches that line and, on a tag match, one slot, instead of all of the set's slots.
     */
    private final long[] tags;
    /** Per slot: node hash (32 bytes), encoding length, encoding. */
    private final byte[] slots;
    /** Per slot: 1 if read since the replacement hand last passed it. */
    private final byte[] marked;
    /** Per set: the way the replacement hand looks at next. */
    private final byte[] hands;
    private int size;

    Segment(int sets, int ways) {
      this.sets = sets;
      this.ways = ways;
      this.tags = new long[sets * ways];
      this.slots = new byte[sets * ways * SLOT_BYTES];
      this.marked = new byte[sets * ways];
      this.hands = new byte[sets];
    }

    private int setOf(long mix) {
      return (int) ((mix & 0x0FFF_FFFF_FFFF_FFFFL) % sets);
    }

    private static long tagOf(long mix) {
      return mix == 0 ? 1 : mix;
    }

    /** The slot of {@code hash} (whose mix is {@code mix}), or -1. */
    private int find(byte[] hash, long mix) {
      long tag = tagOf(mix);
      int first = setOf(mix) * ways;
      for (int slot = first; slot < first + ways; slot++) {
        if (tags[slot] == tag && Arrays.equals(slots, slot * SLOT_BYTES, slot * SLOT_BYTES + Hash.SIZE, hash, 0, Hash.SIZE)) {
          return slot;
        }
      }
      return -1;
    }

    Bytes get(byte[] hash, long mix, boolean mark) {
      int slot = find(hash, mix);
      if (slot < 0) {
        return null;
      }
      if (mark) {
        marked[slot] = 1;
      }
      int at = slot * SLOT_BYTES;
      int length = slots[at + LENGTH_OFFSET] & 0xFF;
      return Bytes.wrap(Arrays.copyOfRange(slots, at + ENCODING_OFFSET, at + ENCODING_OFFSET + length));
    }

    void put(byte[] hash, byte[] encoding, long mix) {
      if (find(hash, mix) >= 0) {
        // Content-addressed: the slot already holds this very encoding.
        return;
      }
      int slot = victim(setOf(mix));
      int at = slot * SLOT_BYTES;
      if (tags[slot] == 0) {
        size++;
      }
      tags[slot] = tagOf(mix);
      System.arraycopy(hash, 0, slots, at, Hash.SIZE);
      slots[at + LENGTH_OFFSET] = (byte) encoding.length;
      System.arraycopy(encoding, 0, slots, at + ENCODING_OFFSET, encoding.length);
      marked[slot] = 0;
    }

    /** An empty slot of the set if there is one, else the first unmarked one from the hand on (CLOCK). */
    private int victim(int set) {
      int first = set * ways;
      for (int slot = first; slot < first + ways; slot++) {
        if (tags[slot] == 0) {
          return slot;
        }
      }
      int hand = hands[set];
      while (true) {
        int slot = first + hand;
        hand = (hand + 1) % ways;
        if (marked[slot] == 0) {
          hands[set] = (byte) hand;
          return slot;
        }
        marked[slot] = 0;
      }
    }
  }
}
