package dev.cairn.ledger.state;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.encoding.CanonicalReader;
import dev.cairn.ledger.encoding.CanonicalWriter;
import dev.cairn.ledger.encoding.CodecException;
import dev.cairn.ledger.model.Validation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One piece of a state snapshot, checkable on its own against a state root: every leaf of the subtree on the
 * path of a {@code prefixBits}-bit key prefix, and the sibling hashes that lead from that subtree up to the root.
 *
 * <p>The tree is compact (docs/state.md), so the path of a prefix can end above depth {@code prefixBits}: at an
 * empty slot or at a single leaf that no other key shares a prefix with. {@code siblings} has one hash per
 * level the path descends (depth d = its size, d &lt;= prefixBits), and {@code leaves} are all the leaves of the
 * subtree at depth d, in key order. When d &lt; prefixBits that subtree holds at most one leaf, whose key may lie
 * outside the prefix (it is then another chunk's leaf and proves that this prefix holds nothing else). The
 * verifier rebuilds the subtree's compact hash from the leaves and folds the siblings up: a chunk that omits,
 * adds or alters a leaf leads to another root. So the leaves {@link #leavesInPrefix} of the 2^prefixBits chunks
 * of one root are exactly that root's state.
 *
 * <p>Encoding ({@link #encode}): {@code u8 version=1 | u8 prefixBits | prefix, ceil(prefixBits/8) bytes, padding
 * bits zero | u8 depth | sibling bitmap ceil(depth/8) bytes, bit i set when sibling i is not empty | the
 * non-empty siblings, 32 bytes each | u32 leaf count | per leaf: key (32) | u32 value length | value}.
 */
public record StateChunk(Hash prefix, int prefixBits, List<Hash> siblings, List<Leaf> leaves) {
  /** Chunks split the key space in at most 2^24 pieces; more would only cost round trips. */
  public static final int PREFIX_BITS_MAX = 24;
  private static final int VERSION = 1;

  /** One state entry: a key and its value. */
  public record Leaf(Hash key, Bytes value) {
    public Leaf {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (value.size() > SparseMerkleTree.VALUE_BYTES_MAX) {
        throw new IllegalArgumentException("a state value has at most " + SparseMerkleTree.VALUE_BYTES_MAX + " bytes");
      }
    }

    int encodedBytes() {
      return Hash.SIZE + 4 + value.size();
    }
  }

  public StateChunk {
    Objects.requireNonNull(prefix, "prefix");
    if (prefixBits < 0 || prefixBits > PREFIX_BITS_MAX) {
      throw new IllegalArgumentException("prefixBits " + prefixBits + " is outside 0.." + PREFIX_BITS_MAX);
    }
    if (!prefix.equals(truncate(prefix, prefixBits))) {
      throw new IllegalArgumentException("prefix has bits set beyond its first " + prefixBits);
    }
    siblings = List.copyOf(siblings);
    leaves = List.copyOf(leaves);
    if (siblings.size() > prefixBits) {
      throw new IllegalArgumentException("a chunk's path has at most prefixBits siblings");
    }
  }

  /** The prefix of {@code index} (0 .. 2^prefixBits - 1), as a key whose other bits are zero. */
  public static Hash prefixOf(long index, int prefixBits) {
    if (prefixBits < 0 || prefixBits > PREFIX_BITS_MAX || index < 0 || index >= (1L << prefixBits)) {
      throw new IllegalArgumentException("chunk " + index + " of 2^" + prefixBits);
    }
    byte[] bytes = new byte[Hash.SIZE];
    long shifted = prefixBits == 0 ? 0 : index << (32 - prefixBits);
    bytes[0] = (byte) (shifted >>> 24);
    bytes[1] = (byte) (shifted >>> 16);
    bytes[2] = (byte) (shifted >>> 8);
    bytes[3] = (byte) shifted;
    return Hash.wrap(bytes);
  }

  /**
   * The chunk of {@code tree} under {@code prefix}. Refuses (with {@link ChunkTooLargeException}) a chunk whose
   * leaves would encode to more than {@code leafBytesMax} bytes, after reading at most that many bytes of leaves.
   */
  public static StateChunk of(TreeNodeStore store, Hash root, Hash prefix, int prefixBits, int leafBytesMax) {
    List<Hash> siblings = new ArrayList<>();
    Hash node = root;
    int depth = 0;
    while (depth < prefixBits && !node.equals(TreeHashes.EMPTY)) {
      byte[] encoding = TreeNodes.load(store, node);
      if (TreeNodes.isLeaf(encoding)) {
        break;
      }
      int bit = prefix.bit(depth);
      siblings.add(TreeNodes.child(encoding, 1 - bit));
      node = TreeNodes.child(encoding, bit);
      depth++;
    }
    List<Leaf> leaves = new ArrayList<>();
    collectLeaves(store, node, leaves, new int[] {leafBytesMax});
    return new StateChunk(prefix, prefixBits, siblings, leaves);
  }

  private static void collectLeaves(TreeNodeStore store, Hash node, List<Leaf> out, int[] bytesLeft) {
    if (node.equals(TreeHashes.EMPTY)) {
      return;
    }
    byte[] encoding = TreeNodes.load(store, node);
    if (TreeNodes.isLeaf(encoding)) {
      Leaf leaf = new Leaf(TreeNodes.leafKey(encoding), TreeNodes.leafValue(encoding));
      bytesLeft[0] -= leaf.encodedBytes();
      if (bytesLeft[0] < 0) {
        throw new ChunkTooLargeException("the chunk's leaves exceed the byte limit; ask with more prefix bits");
      }
      out.add(leaf);
      return;
    }
    collectLeaves(store, TreeNodes.child(encoding, 0), out, bytesLeft);
    collectLeaves(store, TreeNodes.child(encoding, 1), out, bytesLeft);
  }

  /**
   * Checks the chunk against {@code root}: leaves in strictly increasing key order on the proven path, at most
   * one leaf where the path stops above the prefix, and the rebuilt subtree folding up to {@code root}.
   * Reasons: {@code leaves_unordered}, {@code leaf_off_path}, {@code path_too_short}, {@code root_mismatch}.
   */
  public Validation verify(Hash root) {
    int depth = siblings.size();
    for (int i = 0; i < leaves.size(); i++) {
      Hash key = leaves.get(i).key();
      if (i > 0 && leaves.get(i - 1).key().compareTo(key) >= 0) {
        return Validation.invalid("leaves_unordered", "leaf " + i + " does not follow the previous leaf's key");
      }
      if (SiblingPath.commonPrefixBits(key, prefix) < depth) {
        return Validation.invalid("leaf_off_path", "leaf " + i + " does not lie under the proven path");
      }
    }
    if (depth < prefixBits && leaves.size() > 1) {
      return Validation.invalid("path_too_short", "the path stops at depth " + depth + " above several leaves");
    }
    Hash node = SiblingPath.foldUp(subtreeHash(0, leaves.size(), depth), prefix, siblings);
    if (!node.equals(root)) {
      return Validation.invalid("root_mismatch", "the chunk leads to root " + node.shortHex() + ", not " + root.shortHex());
    }
    return Validation.VALID;
  }

  /** The compact hash of leaves [from, to), all sharing their first {@code depth} bits. */
  private Hash subtreeHash(int from, int to, int depth) {
    if (from == to) {
      return TreeHashes.EMPTY;
    }
    if (to - from == 1) {
      Leaf leaf = leaves.get(from);
      return TreeHashes.leaf(leaf.key(), TreeHashes.valueDigest(leaf.value().unsafeArray()));
    }
    int split = from;
    while (split < to && leaves.get(split).key().bit(depth) == 0) {
      split++;
    }
    return TreeHashes.inner(subtreeHash(from, split, depth + 1), subtreeHash(split, to, depth + 1));
  }

  /** The leaves whose keys start with the prefix: this chunk's share of the state (a verified chunk only). */
  public List<Leaf> leavesInPrefix() {
    return leaves.stream().filter(leaf -> SiblingPath.commonPrefixBits(leaf.key(), prefix) >= prefixBits).toList();
  }

  public Bytes encode() {
    int leafBytes = leaves.stream().mapToInt(Leaf::encodedBytes).sum();
    CanonicalWriter w = new CanonicalWriter(8 + siblings.size() * Hash.SIZE + leafBytes);
    w.u8(VERSION).u8(prefixBits);
    w.fixed(java.util.Arrays.copyOf(prefix.unsafeArray(), (prefixBits + 7) / 8));
    w.u8(siblings.size());
    SiblingPath.write(w, siblings);
    w.u32(leaves.size());
    for (Leaf leaf : leaves) {
      w.hash(leaf.key()).bytes(leaf.value(), SparseMerkleTree.VALUE_BYTES_MAX);
    }
    return w.toBytes();
  }

  /** Decodes untrusted bytes, at most {@code bytesMax} of them; anything but the canonical form is refused. */
  public static StateChunk decode(Bytes bytes, int bytesMax) {
    if (bytes.size() > bytesMax) {
      throw new CodecException("state chunk: " + bytes.size() + " bytes exceeds limit " + bytesMax);
    }
    CanonicalReader r = CanonicalReader.of(bytes);
    r.expect(VERSION, "state chunk version");
    int prefixBits = r.u8("state chunk prefix bits");
    if (prefixBits > PREFIX_BITS_MAX) {
      throw new CodecException("state chunk prefix bits: " + prefixBits + " exceeds limit " + PREFIX_BITS_MAX);
    }
    Hash prefix = Hash.wrap(java.util.Arrays.copyOf(r.fixed((prefixBits + 7) / 8, "state chunk prefix"), Hash.SIZE));
    if (!prefix.equals(truncate(prefix, prefixBits))) {
      throw new CodecException("state chunk prefix: padding bits set");
    }
    int depth = r.u8("state chunk depth");
    if (depth > prefixBits) {
      throw new CodecException("state chunk depth: " + depth + " exceeds its prefix bits " + prefixBits);
    }
    List<Hash> siblings = SiblingPath.read(r, depth, "state chunk");
    // Each leaf takes at least 36 bytes, so the count is bounded by what is left before anything is allocated.
    int count = r.u32Bounded("state chunk leaf count", r.remaining() / (Hash.SIZE + 4));
    List<Leaf> leaves = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      leaves.add(new Leaf(r.hash("state chunk leaf key"), r.bytes("state chunk leaf value", SparseMerkleTree.VALUE_BYTES_MAX)));
    }
    r.finish("state chunk");
    return new StateChunk(prefix, prefixBits, siblings, leaves);
  }

  private static Hash truncate(Hash key, int bits) {
    byte[] out = new byte[Hash.SIZE];
    byte[] in = key.unsafeArray();
    for (int i = 0; i < bits; i++) {
      out[i >>> 3] |= (byte) (in[i >>> 3] & (0x80 >>> (i & 7)));
    }
    return Hash.wrap(out);
  }

  /** A chunk whose leaves would pass the byte limit of one response. */
  public static final class ChunkTooLargeException extends RuntimeException {
    public ChunkTooLargeException(String message) {
      super(message);
    }
  }
}
