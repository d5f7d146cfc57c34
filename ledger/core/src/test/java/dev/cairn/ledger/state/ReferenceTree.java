package dev.cairn.ledger.state;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The deliberately simple model the tree is checked against: a sorted map and a root recomputed from
 * scratch by splitting the key set bit by bit. Hashes are written out here rather than taken from
 * {@link TreeHashes}, so the tests also pin the documented hash formats.
 */
final class ReferenceTree {
  final TreeMap<Hash, Bytes> entries = new TreeMap<>();

  void put(Hash key, Bytes value) {
    entries.put(key, value);
  }

  void delete(Hash key) {
    entries.remove(key);
  }

  Hash root() {
    return root(new ArrayList<>(entries.entrySet()), 0);
  }

  private static Hash root(List<Map.Entry<Hash, Bytes>> set, int depth) {
    if (set.isEmpty()) {
      return Hash.ZERO;
    }
    if (set.size() == 1) {
      return leafHash(set.get(0).getKey(), set.get(0).getValue());
    }
    List<Map.Entry<Hash, Bytes>> left = new ArrayList<>();
    List<Map.Entry<Hash, Bytes>> right = new ArrayList<>();
    for (Map.Entry<Hash, Bytes> entry : set) {
      (entry.getKey().bit(depth) == 0 ? left : right).add(entry);
    }
    MessageDigest digest = Hashing.start(DomainTag.STATE_NODE);
    digest.update(root(left, depth + 1).unsafeArray());
    digest.update(root(right, depth + 1).unsafeArray());
    return Hashing.finish(digest);
  }

  static Hash leafHash(Hash key, Bytes value) {
    MessageDigest valueDigest = Hashing.start(DomainTag.STATE_LEAF);
    valueDigest.update((byte) 1);
    valueDigest.update(value.unsafeArray());
    MessageDigest digest = Hashing.start(DomainTag.STATE_LEAF);
    digest.update((byte) 0);
    digest.update(key.unsafeArray());
    digest.update(valueDigest.digest());
    return Hashing.finish(digest);
  }
}
