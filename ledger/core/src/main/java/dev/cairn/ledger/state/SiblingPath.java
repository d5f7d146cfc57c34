package dev.cairn.ledger.state;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.encoding.CanonicalReader;
import dev.cairn.ledger.encoding.CanonicalWriter;
import dev.cairn.ledger.encoding.CodecException;
import java.util.ArrayList;
import java.util.List;

/**
 * The sibling hashes along one path of the state tree, from the root down, as {@link StateProof} (a key's path)
 * and {@link StateChunk} (a prefix's path) both carry them: how they fold a subtree's hash up to the root, and
 * their shared encoding, a bitmap of ceil(depth/8) bytes (bit i, most significant first, set when sibling i is
 * not {@link TreeHashes#EMPTY}; padding bits zero) followed by the non-empty siblings, 32 bytes each. The depth
 * itself is written by each format (u16 in a proof, u8 in a chunk).
 */
final class SiblingPath {
  private SiblingPath() {}

  /** The root reached from {@code node}, the hash at depth {@code siblings.size()} on {@code path}'s path. */
  static Hash foldUp(Hash node, Hash path, List<Hash> siblings) {
    for (int level = siblings.size() - 1; level >= 0; level--) {
      Hash sibling = siblings.get(level);
      node = path.bit(level) == 0 ? TreeHashes.inner(node, sibling) : TreeHashes.inner(sibling, node);
    }
    return node;
  }

  /** How many leading bits two keys share (256 when equal). */
  static int commonPrefixBits(Hash a, Hash b) {
    byte[] x = a.unsafeArray();
    byte[] y = b.unsafeArray();
    for (int i = 0; i < Hash.SIZE; i++) {
      int diff = (x[i] ^ y[i]) & 0xFF;
      if (diff != 0) {
        return 8 * i + Integer.numberOfLeadingZeros(diff) - 24;
      }
    }
    return SparseMerkleTree.KEY_BITS;
  }

  /** Writes the bitmap and the non-empty siblings. */
  static void write(CanonicalWriter w, List<Hash> siblings) {
    int depth = siblings.size();
    byte[] bitmap = new byte[(depth + 7) / 8];
    for (int i = 0; i < depth; i++) {
      if (!siblings.get(i).equals(TreeHashes.EMPTY)) {
        bitmap[i >>> 3] |= (byte) (0x80 >>> (i & 7));
      }
    }
    w.fixed(bitmap);
    for (Hash sibling : siblings) {
      if (!sibling.equals(TreeHashes.EMPTY)) {
        w.hash(sibling);
      }
    }
  }

  /**
   * Reads {@code depth} siblings in their one canonical form: padding bits set, or an empty sibling written
   * out instead of left to the bitmap, is a {@link CodecException} naming {@code what}.
   */
  static List<Hash> read(CanonicalReader r, int depth, String what) {
    byte[] bitmap = r.fixed((depth + 7) / 8, what + " sibling bitmap");
    if ((depth & 7) != 0 && (bitmap[bitmap.length - 1] & (0xFF >>> (depth & 7))) != 0) {
      throw new CodecException(what + " sibling bitmap: padding bits set");
    }
    List<Hash> siblings = new ArrayList<>(depth);
    for (int i = 0; i < depth; i++) {
      if ((bitmap[i >>> 3] & (0x80 >>> (i & 7))) == 0) {
        siblings.add(TreeHashes.EMPTY);
        continue;
      }
      Hash sibling = r.hash(what + " sibling " + i);
      if (sibling.equals(TreeHashes.EMPTY)) {
        throw new CodecException(what + " sibling " + i + ": empty sibling must be given by the bitmap");
      }
      siblings.add(sibling);
    }
    return siblings;
  }
}
