package dev.cairn.mempool;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.execution.SignatureCheck;
import dev.cairn.ledger.model.Transaction;
import java.util.ArrayList;
import java.util.List;
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
public final class SignatureCache implements SignatureCheck {
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
  @Override
  public boolean verify(Hash id, Transaction tx) {
    if (verified.containsKey(id)) {
      return true;
    }
    boolean ok = tx.hasValidSignature();
    if (ok) {
      remember(id);
    }
    return ok;
  }

  /**
   * Verifies together the signatures of those transactions not verified before and remembers the valid
   * ones. A bad signature is not remembered, so {@link #verify} checks it again on its own and gives the
   * verdict.
   */
  @Override
  public void preverify(List<Hash> ids, List<Transaction> txs) {
    List<Hash> newIds = new ArrayList<>(ids.size());
    List<Transaction> newTxs = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      if (!verified.containsKey(ids.get(i))) {
        newIds.add(ids.get(i));
        newTxs.add(txs.get(i));
      }
    }
    if (newIds.isEmpty()) {
      return;
    }
    boolean[] valid = Transaction.verifySignatures(newTxs);
    for (int i = 0; i < valid.length; i++) {
      if (valid[i]) {
        remember(newIds.get(i));
      }
    }
  }

  private void remember(Hash id) {
    if (verified.putIfAbsent(id, Boolean.TRUE) == null) {
      insertionOrder.add(id);
      while (verified.size() > entriesMax) {
        Hash eldest = insertionOrder.poll();
        if (eldest == null) {
          break;
        }
        verified.remove(eldest);
      }
    }
  }

  public boolean isVerified(Hash id) {
    return verified.containsKey(id);
  }

  public int size() {
    return verified.size();
  }
}
