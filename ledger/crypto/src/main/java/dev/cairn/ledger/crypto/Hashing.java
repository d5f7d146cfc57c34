package dev.cairn.ledger.crypto;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 with a domain-separation tag. Uses the JDK's SHA-256, which the JVM compiles to the CPU's SHA
 * instructions where present.
 *
 * <p>Each thread keeps one digest that {@link #start} lends out (reset, then fed the tag) and {@link #finish}
 * takes back: starting a hash allocates nothing. A start while the thread's digest is still lent out (a hash
 * begun inside another, or one never finished) gets a fresh digest of its own, so a caller can never see
 * another hash's bytes; only the thread that started a digest gets it back by finishing it.
 */
public final class Hashing {
  /** The thread's digest and whether it is lent out. */
  private static final class Lease {
    final MessageDigest digest = newSha256();
    boolean lent;
  }

  private static final ThreadLocal<Lease> LEASES = ThreadLocal.withInitial(Lease::new);

  private Hashing() {}

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * A digest already fed with the tag, no other hash's bytes in it; feed it the object's bytes and call
   * {@link #finish} on the same thread (a digest not finished is never lent again).
   */
  public static MessageDigest start(DomainTag tag) {
    Lease lease = LEASES.get();
    MessageDigest digest;
    if (lease.lent) {
      digest = newSha256();
    } else {
      lease.lent = true;
      digest = lease.digest;
      digest.reset();
    }
    digest.update(tag.prefix());
    return digest;
  }

  /** The hash of what was fed since {@link #start}; the digest is reset and, if it is the thread's, taken back. */
  public static Hash finish(MessageDigest digest) {
    Hash hash = Hash.wrap(digest.digest());
    Lease lease = LEASES.get();
    if (digest == lease.digest) {
      lease.lent = false;
    }
    return hash;
  }

  public static Hash hash(DomainTag tag, byte[] data) {
    MessageDigest digest = start(tag);
    digest.update(data);
    return finish(digest);
  }

  public static Hash hash(DomainTag tag, Bytes data) {
    return hash(tag, data.unsafeArray());
  }

  public static Hash hash(DomainTag tag, byte[] first, byte[] second) {
    MessageDigest digest = start(tag);
    digest.update(first);
    digest.update(second);
    return finish(digest);
  }

  /** Plain SHA-256 with no tag, for external formats that define their own hashing. */
  public static byte[] sha256(byte[] data) {
    return newSha256().digest(data);
  }
}
