package dev.cairn.ledger.crypto;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.Map;

/**
 * SHA-256 with a domain-separation tag. Uses the JDK's SHA-256, which the JVM compiles to the CPU's SHA
 * instructions where present; one pre-seeded digest per tag is cloned per call rather than re-hashing
 * the tag.
 */
public final class Hashing {
  private static final Map<DomainTag, MessageDigest> SEEDED = new EnumMap<>(DomainTag.class);

  static {
    for (DomainTag tag : DomainTag.values()) {
      MessageDigest digest = newSha256();
      digest.update(tag.prefix());
      SEEDED.put(tag, digest);
    }
  }

  private Hashing() {}

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** A fresh digest already fed with the tag; feed it the object's bytes and call {@link #finish}. */
  public static MessageDigest start(DomainTag tag) {
    try {
      return (MessageDigest) SEEDED.get(tag).clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digest not cloneable", e);
    }
  }

  public static Hash finish(MessageDigest digest) {
    return Hash.wrap(digest.digest());
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
