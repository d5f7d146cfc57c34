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

  /** The inner hash of the 64 bytes at {@code offset}: left then right child hash, as in an inner node's encoding. */
  static Hash inner(byte[] children, int offset) {
    MessageDigest digest = Hashing.start(DomainTag.STATE_NODE);
    digest.update(children, offset, 2 * Hash.SIZE);
    return Hashing.finish(digest);
  }
}
