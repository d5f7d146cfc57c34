package dev.cairn.ledger.state;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * Seeded random inputs for the tree properties: a small universe of keys in which many pairs share long
 * prefixes (so deep chains and collapses happen often), and write sequences over it. The jqwik seed
 * parameter reproduces a failing case.
 */
final class Scenario {
  final Random random;
  final List<Hash> keys;

  Scenario(long seed, int keyCount) {
    random = new Random(seed);
    keys = new ArrayList<>(keyCount);
    for (int i = 0; i < keyCount; i++) {
      keys.add(nextKey());
    }
  }

  /** A fresh random key, or a near twin of an existing one that shares a prefix of random length. */
  private Hash nextKey() {
    byte[] bytes = new byte[Hash.SIZE];
    random.nextBytes(bytes);
    if (!keys.isEmpty() && random.nextInt(3) == 0) {
      byte[] twin = keys.get(random.nextInt(keys.size())).toArray();
      int shared = random.nextInt(256);
      for (int bit = shared; bit < 256; bit++) {
        int mask = 0x80 >>> (bit & 7);
        boolean flip = bit == shared || (bytes[bit >>> 3] & mask) != 0;
        if (flip) {
          twin[bit >>> 3] ^= (byte) mask;
        }
      }
      bytes = twin;
    }
    Hash key = Hash.wrap(bytes);
    return keys.contains(key) ? nextKey() : key;
  }

  Hash anyKey() {
    return keys.get(random.nextInt(keys.size()));
  }

  Bytes anyValue() {
    byte[] value = new byte[random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(48)];
    random.nextBytes(value);
    return Bytes.wrap(value);
  }

  /** {@code count} writes, about a third of them deletions. */
  List<Map.Entry<Hash, Optional<Bytes>>> writes(int count) {
    List<Map.Entry<Hash, Optional<Bytes>>> writes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Optional<Bytes> value = random.nextInt(3) == 0 ? Optional.empty() : Optional.of(anyValue());
      writes.add(Map.entry(anyKey(), value));
    }
    return writes;
  }

  /** Splits a write sequence into consecutive batches of random length; a later write in a batch wins. */
  List<StateChanges> batches(List<Map.Entry<Hash, Optional<Bytes>>> writes) {
    List<StateChanges> batches = new ArrayList<>();
    int i = 0;
    while (i < writes.size()) {
      int length = 1 + random.nextInt(Math.max(1, writes.size() / 2));
      TreeMap<Hash, Optional<Bytes>> batch = new TreeMap<>();
      for (int end = Math.min(writes.size(), i + length); i < end; i++) {
        batch.put(writes.get(i).getKey(), writes.get(i).getValue());
      }
      batches.add(new StateChanges(batch));
    }
    return batches;
  }

  <T> List<T> shuffled(List<T> items) {
    List<T> copy = new ArrayList<>(items);
    Collections.shuffle(copy, random);
    return copy;
  }

  /** Applies each batch and stores its nodes, returning the final view. */
  static SparseMerkleTree applyAll(SparseMerkleTree tree, MemoryNodeStore store, List<StateChanges> batches) {
    for (StateChanges batch : batches) {
      TreeUpdate update = tree.apply(batch);
      store.putAll(update);
      tree = new SparseMerkleTree(store, update.root());
    }
    return tree;
  }

  static StateChanges putsOf(Map<Hash, Bytes> entries) {
    TreeMap<Hash, Optional<Bytes>> writes = new TreeMap<>();
    entries.forEach((key, value) -> writes.put(key, Optional.of(value)));
    return new StateChanges(writes);
  }
}
