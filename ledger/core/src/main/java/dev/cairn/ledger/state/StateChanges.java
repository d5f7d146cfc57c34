package dev.cairn.ledger.state;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The writes one block makes to the state, in key order: a value to store, or {@link Optional#empty()} to
 * delete the key. Key order makes applying the changes to the tree deterministic and batch-friendly.
 */
public record StateChanges(SortedMap<Hash, Optional<Bytes>> writes) {
  public static final StateChanges NONE = new StateChanges(new TreeMap<>());

  public StateChanges {
    // Always the keys' natural (unsigned, most significant bit first) order, which is the tree's path
    // order, even when the caller's map sorts otherwise: new TreeMap<>(sortedMap) would keep its comparator.
    TreeMap<Hash, Optional<Bytes>> sorted = new TreeMap<>();
    sorted.putAll(writes);
    writes = Collections.unmodifiableSortedMap(sorted);
  }

  public int size() {
    return writes.size();
  }
}
