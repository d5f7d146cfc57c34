package dev.cairn.ledger.state;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import java.security.MessageDigest;

/**
 * The hashes of the authenticated state tree, in one place so that the tree, its proofs and any external
 * verifier agree byte for byte:
 *
 * <ul>
 *   <li>empty subtree: 32 zero bytes (a constant no SHA-256 output is expected to hit);
 *   <li>value digest: SHA-256(tag STATE_LEAF, 0x01, value);
 *   <li>leaf: SHA-256(tag STATE_LEAF, 0x00, key, valueDigest) — commits to the full key, so a leaf proves
 *       which key it holds wherever it sits in the tree;
 *   <li>inner node: SHA-256(tag STATE_NODE, left, right).
 * </ul>
 *
 * The value is hashed separately so that a non-membership proof that ends at another key's leaf carries 64
 * bytes instead of that key's whole value.
 */
public final class TreeHashes {
  /** The hash of an empty subtree, and therefore the root of the empty tree. */
  public static final Hash EMPTY = Hash.ZERO;

  private static final byte LEAF_PREFIX = 0x00;
  private static final byte VALUE_PREFIX = 0x01;

  private TreeHashes() {}

  public static Hash valueDigest(byte[] value) {
    return valueDigest(value, 0, value.length);
  }

  public static Hash valueDigest(byte[] value, int offset, int length) {
    MessageDigest digest = Hashing.start(DomainTag.STATE_LEAF);
    digest.update(VALUE_PREFIX);
    digest.update(value, offset, length);
    return Hashing.finish(digest);
  }

  public static Hash leaf(Hash key, Hash valueDigest) {
    MessageDigest digest = Hashing.start(DomainTag.STATE_LEAF);
    digest.update(LEAF_PREFIX);
    digest.update(key.unsafeArray());
    digest.update(valueDigest.unsafeArray());
    return Hashing.finish(digest);
  }

  public static Hash inner(Hash left, Hash right) {
    return Hashing.hash(DomainTag.STATE_NODE, left.unsafeArray(), right.unsafeArray());
  }

  /**
   * The same hashes for the hot loop of a batch update: one reused SHA-256 instance fed the tag prefix
   * itself, instead of cloning a pre-seeded digest per hash (the clone allocates and copies the digest
   * state, which about doubles the cost of hashing a 65-byte node). The prefixes are checked against
   * {@link Hashing} when the class loads, so the two paths cannot drift apart. Not thread-safe.
   */
  static final class Hasher {
    private static final byte[] LEAF_TAG = prefixOf(DomainTag.STATE_LEAF, "cairn/state-leaf/v1");
    private static final byte[] NODE_TAG = prefixOf(DomainTag.STATE_NODE, "cairn/state-node/v1");

    private final MessageDigest sha256 = newSha256();

    Hash valueDigest(byte[] value) {
      sha256.update(LEAF_TAG);
      sha256.update(VALUE_PREFIX);
      sha256.update(value);
      return Hash.wrap(sha256.digest());
    }

    Hash leaf(Hash key, Hash valueDigest) {
      sha256.update(LEAF_TAG);
      sha256.update(LEAF_PREFIX);
      sha256.update(key.unsafeArray());
      sha256.update(valueDigest.unsafeArray());
      return Hash.wrap(sha256.digest());
    }

    /** The inner hash of the 64 bytes at {@code offset}: left then right child, as in an inner encoding. */
    Hash inner(byte[] children, int offset) {
      sha256.update(NODE_TAG);
      sha256.update(children, offset, 2 * Hash.SIZE);
      return Hash.wrap(sha256.digest());
    }

    private static byte[] prefixOf(DomainTag tag, String name) {
      byte[] text = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      byte[] prefix = new byte[text.length + 1];
      prefix[0] = (byte) text.length;
      System.arraycopy(text, 0, prefix, 1, text.length);
      byte[] probe = {1, 2, 3};
      MessageDigest digest = newSha256();
      digest.update(prefix);
      digest.update(probe);
      if (!Hash.wrap(digest.digest()).equals(Hashing.hash(tag, probe))) {
        throw new IllegalStateException("state tree hasher's prefix for " + tag + " differs from Hashing's");
      }
      return prefix;
    }

    private static MessageDigest newSha256() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK has no SHA-256", e);
      }
    }
  }
}
