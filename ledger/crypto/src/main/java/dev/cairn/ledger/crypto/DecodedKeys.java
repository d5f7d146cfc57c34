package dev.cairn.ledger.crypto;

import dev.cairn.ledger.bytes.Bytes;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Public keys already decoded into a verifier's point form, bounded: when full it starts over, so a flood of
 * new keys costs one decompression each and never more memory. Only keys that decoded are put here, so a
 * verdict never depends on whether a key was cached.
 *
 * @param <P> the verifier's decoded form (BouncyCastle's point for single verification, {@link
 *     BatchEquation.SplitPoint} for batches)
 */
final class DecodedKeys<P> {
  private final int entriesMax;
  private final ConcurrentHashMap<Bytes, P> decoded = new ConcurrentHashMap<>();

  DecodedKeys(int entriesMax) {
    if (entriesMax < 1) {
      throw new IllegalArgumentException("a decoded-key cache needs at least one entry");
    }
    this.entriesMax = entriesMax;
  }

  /** The cached point, or null if {@code key} is not cached. */
  P get(Bytes key) {
    return decoded.get(key);
  }

  void put(Bytes key, P point) {
    if (decoded.size() >= entriesMax) {
      decoded.clear();
    }
    decoded.put(key, point);
  }
}
