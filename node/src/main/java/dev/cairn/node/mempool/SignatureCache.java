package dev.cairn.node.mempool;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.model.Transaction;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ids of transactions whose signature this node has already verified. A signature costs ~100 microseconds to
 * check, so each is checked once per node (at admission, or when a proposed block brings a tx we have not
 * seen) and execution only consults this set. Bounded: the oldest entries are evicted first; an evicted id
 * just costs one more verification.
 */
public final class SignatureCache {
  private final int entriesMax;
  private final LinkedHashMap<Hash, Boolean> verified;

  public SignatureCache(int entriesMax) {
    if (entriesMax < 1) {
      throw new IllegalArgumentException("signature cache needs at least one entry");
    }
    this.entriesMax = entriesMax;
    this.verified =
        new LinkedHashMap<>(Math.min(entriesMax, 1 << 16), 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Hash, Boolean> eldest) {
            return size() > SignatureCache.this.entriesMax;
          }
        };
  }

  /** True if {@code tx}'s signature is valid, verifying it only if {@code id} was not verified before. */
  public boolean verify(Hash id, Transaction tx) {
    synchronized (verified) {
      if (verified.containsKey(id)) {
        return true;
      }
    }
    boolean ok = tx.hasValidSignature();
    if (ok) {
      synchronized (verified) {
        verified.put(id, Boolean.TRUE);
      }
    }
    return ok;
  }

  public boolean isVerified(Hash id) {
    synchronized (verified) {
      return verified.containsKey(id);
    }
  }

  public int size() {
    synchronized (verified) {
      return verified.size();
    }
  }
}
