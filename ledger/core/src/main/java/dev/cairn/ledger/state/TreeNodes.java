package dev.cairn.ledger.state;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import java.util.Arrays;
import java.util.Optional;

/**
 * Canonical encodings of tree nodes, as stored under their hash (see {@link TreeHashes}):
 *
 * <ul>
 *   <li>inner: {@code 0x01 | left hash (32) | right hash (32)}, never both children empty;
 *   <li>leaf: {@code 0x02 | key (32) | value length (u32, big-endian) | value}.
 * </ul>
 *
 * Readers work on the encoding's array in place, so walking the tree allocates only the child hashes it
 * follows. A malformed encoding in the store is a broken invariant and throws {@link IllegalStateException}.
 */
final class TreeNodes {
  static final byte INNER = 0x01;
  static final byte LEAF = 0x02;
  static final int INNER_BYTES = 1 + 2 * Hash.SIZE;
  static final int LEAF_HEADER_BYTES = 1 + Hash.SIZE + 4;
  private static final int KEY_OFFSET = 1;
  private static final int VALUE_OFFSET = LEAF_HEADER_BYTES;

  private TreeNodes() {}

  /** The encoding of {@code nodeHash}; a missing node is a {@link MissingNodeException}. */
  static byte[] load(TreeNodeStore store, Hash nodeHash) {
    Optional<Bytes> found = store.node(nodeHash);
    if (found.isEmpty()) {
      throw new MissingNodeException(nodeHash);
    }
    return checked(nodeHash, found.get());
  }

  /** The array of a node's encoding fetched by hash, after the same well-formedness check as {@link #load}. */
  static byte[] checked(Hash nodeHash, Bytes found) {
    byte[] encoding = found.unsafeArray();
    check(nodeHash, encoding);
    return encoding;
  }

  private static void check(Hash nodeHash, byte[] encoding) {
    if (encoding.length == INNER_BYTES && encoding[0] == INNER) {
      return;
    }
    if (encoding.length >= LEAF_HEADER_BYTES && encoding[0] == LEAF) {
      int length = valueLength(encoding);
      if (length >= 0 && length <= SparseMerkleTree.VALUE_BYTES_MAX && encoding.length == VALUE_OFFSET + length) {
        return;
      }
    }
    throw new IllegalStateException(
        "state tree node " + nodeHash + " has a malformed encoding of " + encoding.length + " bytes");
  }

  static boolean isLeaf(byte[] encoding) {
    return encoding[0] == LEAF;
  }

  static Hash child(byte[] inner, int bit) {
    int from = 1 + bit * Hash.SIZE;
    return Hash.wrap(Arrays.copyOfRange(inner, from, from + Hash.SIZE));
  }

  static Hash leafKey(byte[] leaf) {
    return Hash.wrap(Arrays.copyOfRange(leaf, KEY_OFFSET, KEY_OFFSET + Hash.SIZE));
  }

  static boolean leafKeyEquals(byte[] leaf, Hash key) {
    return Arrays.equals(leaf, KEY_OFFSET, KEY_OFFSET + Hash.SIZE, key.unsafeArray(), 0, Hash.SIZE);
  }

  static Bytes leafValue(byte[] leaf) {
    return Bytes.wrap(Arrays.copyOfRange(leaf, VALUE_OFFSET, leaf.length));
  }

  static Hash leafValueDigest(byte[] leaf) {
    return TreeHashes.valueDigest(leaf, VALUE_OFFSET, leaf.length - VALUE_OFFSET);
  }

  private static int valueLength(byte[] leaf) {
    return ((leaf[33] & 0xFF) << 24) | ((leaf[34] & 0xFF) << 16) | ((leaf[35] & 0xFF) << 8) | (leaf[36] & 0xFF);
  }

  static byte[] encodeInner(Hash left, Hash right) {
    byte[] out = new byte[INNER_BYTES];
    out[0] = INNER;
    System.arraycopy(left.unsafeArray(), 0, out, 1, Hash.SIZE);
    System.arraycopy(right.unsafeArray(), 0, out, 1 + Hash.SIZE, Hash.SIZE);
    return out;
  }

  static byte[] encodeLeaf(Hash key, byte[] value) {
    byte[] out = new byte[VALUE_OFFSET + value.length];
    out[0] = LEAF;
    System.arraycopy(key.unsafeArray(), 0, out, KEY_OFFSET, Hash.SIZE);
    int length = value.length;
    out[33] = (byte) (length >>> 24);
    out[34] = (byte) (length >>> 16);
    out[35] = (byte) (length >>> 8);
    out[36] = (byte) length;
    System.arraycopy(value, 0, out, VALUE_OFFSET, length);
    return out;
  }
}
