package dev.cairn.ledger.state;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The authenticated state: a binary sparse Merkle tree over 256-bit keys in compact form, viewed at one root.
 * A key's path is its bits from the most significant; a subtree holding one key is that key's leaf, placed
 * at the shortest prefix that tells it apart from every other key, and an empty subtree is the constant
 * {@link TreeHashes#EMPTY}. The shape depends only on the set of keys, so one set of (key, value) pairs has
 * one root whatever the order or batching of the writes that produced it. With uniformly spread keys
 * ({@link StateKeys}) a tree of N keys is about log2(N) deep.
 *
 * <p>Nodes are content-addressed (hash -> encoding, see {@link TreeNodes}) and never change, so a view is
 * immutable and safe to share between threads; {@link #apply} computes the next root without writing. Hash
 * formats: {@link TreeHashes}; proofs: {@link StateProof}.
 */
public final class SparseMerkleTree implements StateReader {
  /** The root of the empty tree. */
  public static final Hash EMPTY_ROOT = TreeHashes.EMPTY;
  /** Keys are 32-byte hashes: the tree has at most this many levels below the root. */
  public static final int KEY_BITS = 8 * Hash.SIZE;
  /** The largest value one key may hold; state values are canonical encodings well below it. */
  public static final int VALUE_BYTES_MAX = 16 * 1024;

  private final TreeNodeStore store;
  private final Hash root;

  /** A view of the tree at {@code root}; nodes are read from {@code store} on demand. */
  public SparseMerkleTree(TreeNodeStore store, Hash root) {
    this.store = Objects.requireNonNull(store, "store");
    this.root = Objects.requireNonNull(root, "root");
  }

  public Hash root() {
    return root;
  }

  /** The value under {@code key}, walking from the root: about log2(N) node reads. */
  @Override
  public Optional<Bytes> get(Hash key) {
    Hash node = root;
    for (int depth = 0; ; depth++) {
      if (node.equals(TreeHashes.EMPTY)) {
        return Optional.empty();
      }
      byte[] encoding = TreeNodes.load(store, node);
      if (TreeNodes.isLeaf(encoding)) {
        return TreeNodes.leafKeyEquals(encoding, key) ? Optional.of(TreeNodes.leafValue(encoding)) : Optional.empty();
      }
      requireBelowKeyBits(depth, node);
      node = TreeNodes.child(encoding, key.bit(depth));
    }
  }

  /**
   * The tree after {@code changes}: the new root and every node created on the way. Pure: writes nothing,
   * so a proposal can be executed and dropped. Costs O(changed keys x depth) node reads and hashes.
   *
   * @throws IllegalArgumentException if a value exceeds {@link #VALUE_BYTES_MAX}
   * @throws MissingNodeException if a node on a changed path is not in the store
   */
  public TreeUpdate apply(StateChanges changes) {
    if (changes.size() == 0) {
      return new TreeUpdate(root, Map.of());
    }
    return new TreeBatch(store, changes).run(root);
  }

  /**
   * A proof of {@code key}'s value, or of its absence, against {@link #root()}: the sibling hashes along its
   * path and what the path ends at (its leaf, another key's leaf, or an empty slot).
   */
  public StateProof prove(Hash key) {
    List<Hash> siblings = new ArrayList<>(32);
    Hash node = root;
    for (int depth = 0; ; depth++) {
      if (node.equals(TreeHashes.EMPTY)) {
        return new StateProof(siblings, new StateProof.EmptySlot());
      }
      byte[] encoding = TreeNodes.load(store, node);
      if (TreeNodes.isLeaf(encoding)) {
        return new StateProof(
            siblings, new StateProof.LeafSlot(TreeNodes.leafKey(encoding), TreeNodes.leafValueDigest(encoding)));
      }
      requireBelowKeyBits(depth, node);
      int bit = key.bit(depth);
      siblings.add(TreeNodes.child(encoding, 1 - bit));
      node = TreeNodes.child(encoding, bit);
    }
  }

  private static void requireBelowKeyBits(int depth, Hash node) {
    if (depth >= KEY_BITS) {
      throw new IllegalStateException("state tree inner node " + node + " lies below depth " + KEY_BITS);
    }
  }

  @Override
  public String toString() {
    return "SparseMerkleTree[root=" + root + "]";
  }
}
