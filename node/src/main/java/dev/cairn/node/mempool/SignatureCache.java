package dev.cairn.node.mempool;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.model.Transaction;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Ids of transactions whose signature this node has already verified. A signature costs ~100 microseconds to
 * check, so each is checked once per node (at admission, or when a proposed block brings a tx we have not
 * seen) and execution only consults this set. Bounded: the oldest entries are evicted first; an evicted id
 * just costs one more verification.
 *
 * <p>Lock-free: every RPC thread admitting a transaction and the block builder (which consults the cache for
 * every transaction of a block) hit it concurrently; a single monitor here was the most contended lock under
 * load. The bound may be exceeded briefly by the number of concurrent inserters.
 */
public final class SignatureCache {
  private final int entriesMax;
  private final ConcurrentHashMap<Hash, Boolean> verified = new ConcurrentHashMap<>();
  private final Queue<Hash> insertionOrder = new ConcurrentLinkedQueue<>();

  public SignatureCache(int entriesMax) {
    if (entriesMax < 1) {
      throw new IllegalArgumentException("signature cache needs at least one entry");
    }
    this.entriesMax = entriesMax;
  }

  /** True if {@code tx}'s signature is valid, verifying it only if {@code id} was not verified before. */
  public boolean verify(Hash id, Transaction tx) {
    if (verified.containsKey(id)) {
      return true;
    }
    boolean ok = tx.hasValidSignature();
    if (ok && verified.putIfAbsent(id, Boolean.TRUE) == null) {
      insertionOrder.add(id);
      while (verified.size() > entriesMax) {
        Hash eldest = insertionOrder.poll();
        if (eldest == null) {
          break;
        }
        verified.remove(eldest);
      }
    }
    return ok;
  }

  public boolean isVerified(Hash id) {
    return verified.containsKey(id);
  }

  public int size() {
    return verified.size();
  }
}
