package dev.cairn.consensus;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.model.CommitSeal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link SignatureVerifier} that remembers its last {@code entriesMax} valid verdicts, keyed by exactly what
 * was checked (author, digest, signature), so that a message checked on the gossip verifier thread before it
 * was accepted and forwarded costs the consensus thread no second verification. Only valid verdicts are
 * kept: a forged signature is a different key and is always checked for real, and a flood of invalid ones
 * cannot evict valid entries. Thread-safe; bounded by count (an entry is about 250 bytes).
 */
public final class CachingSignatureVerifier implements SignatureVerifier {
  private record Key(PublicKey author, Hash digest, Signature signature) {}

  private record SealKey(CommitSeal seal, Hash blockHash) {}

  private final SignatureVerifier delegate;
  private final Map<Object, Boolean> valid;

  public CachingSignatureVerifier(SignatureVerifier delegate, int entriesMax) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    if (entriesMax < 1) {
      throw new IllegalArgumentException("entriesMax must be at least 1");
    }
    this.valid = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Object, Boolean> eldest) {
        return size() > entriesMax;
      }
    };
  }

  @Override
  public boolean verify(PublicKey author, Hash digest, Signature signature) {
    return check(new Key(author, digest, signature), () -> delegate.verify(author, digest, signature));
  }

  @Override
  public boolean verifySeal(CommitSeal seal, Hash blockHash) {
    return check(new SealKey(seal, blockHash), () -> delegate.verifySeal(seal, blockHash));
  }

  private boolean check(Object key, java.util.function.BooleanSupplier verification) {
    synchronized (valid) {
      if (valid.get(key) != null) {
        return true;
      }
    }
    // Verified outside the lock: verifications on several threads run in parallel.
    if (!verification.getAsBoolean()) {
      return false;
    }
    synchronized (valid) {
      valid.put(key, Boolean.TRUE);
    }
    return true;
  }

  public int size() {
    synchronized (valid) {
      return valid.size();
    }
  }
}
