package dev.cairn.ledger.state;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ForkJoinTask;

/**
 * One batched update of the tree: the sorted changed keys walk down from the root together, splitting at
 * each inner node by the key bit of that depth, so each touched node is read once and each changed node is
 * hashed once, bottom-up: O(changed keys x depth). Subtrees no change reaches are never read. Writes nothing;
 * the created nodes are collected for the caller to persist.
 *
 * <p>Before the depth-first update, the nodes it will read are fetched level by level, each level with one
 * {@link TreeNodeStore#nodes} call: on the RocksDB store that is one MultiGet per tree level instead of one
 * JNI point lookup per node, which was most of a large block's update. The fetch is breadth-first over the
 * same splits the update makes, so it reads exactly the nodes the update reads, no more.
 *
 * <p>A large batch updates the root's two subtrees on two threads (the caller's and one task in the common
 * fork-join pool): they share no node, and on the node's two cores this nearly halves the time of a block's
 * root update, which is bound by node reads and hashing. Each half has its own instance; an instance is used
 * by one thread only.
 */
final class TreeBatch {
  private static final int KIND_EMPTY = 0;
  private static final int KIND_LEAF = 1;
  private static final int KIND_INNER = 2;
  private static final int KIND_UNKNOWN = 3;
  /** Beyond this many changed keys (a genesis build) the created list grows as needed. */
  private static final int CREATED_PRESIZE_KEYS_MAX = 100_000;
  /** Below this many changed keys a second thread costs more than it saves. */
  static final int PARALLEL_CHANGES_MIN = 2_048;

  private final TreeNodeStore store;
  private final TreeHashes.Hasher hasher = new TreeHashes.Hasher();
  private final Hash[] keys;
  /** The keys' bytes back to back: the splits' bit reads stay in one cache-friendly array. */
  private final byte[] keyBytes;
  /** The new value per key, or null to delete it. */
  private final byte[][] values;
  /** {@code insertsBefore[i]} = how many of {@code values[0..i)} are not deletions: O(1) live counts. */
  private final int[] insertsBefore;
  /**
   * Created nodes, each once: distinct positions of one tree hold distinct subtrees, so their hashes differ.
   * Collected as entries and turned into the immutable map {@link TreeUpdate} keeps as it is, which saves
   * building a second map of ~10 entries per changed key.
   */
  private final ArrayList<Map.Entry<Hash, Bytes>> created;
  /**
   * Nodes of the old tree this update visited and did not keep: an inner node whose subtree changed (inner
   * nodes hold a fixed position, so the new tree cannot hold it elsewhere) and a leaf whose key was written
   * (a leaf the update merely moves is kept). A rewrite to the same value recreates the same node; such
   * nodes are left out by {@link TreeUpdate#replacedNodes} when a pruning store asks.
   */
  private final ArrayList<Hash> replaced;
  /** The kind of node the last update/build call returned (saves allocating a result pair per node). */
  private int lastKind;
  /** Encodings fetched ahead by {@link #prefetch}, checked; read before falling back to the store. */
  private final HashMap<Hash, byte[]> fetched;

  TreeBatch(TreeNodeStore store, StateChanges changes) {
    this.store = store;
    int count = changes.size();
    keys = new Hash[count];
    keyBytes = new byte[count * Hash.SIZE];
    values = new byte[count][];
    insertsBefore = new int[count + 1];
    int i = 0;
    for (Map.Entry<Hash, Optional<Bytes>> write : changes.writes().entrySet()) {
      keys[i] = write.getKey();
      System.arraycopy(keys[i].unsafeArray(), 0, keyBytes, i * Hash.SIZE, Hash.SIZE);
      Optional<Bytes> value = write.getValue();
      if (value.isPresent()) {
        if (value.get().size() > SparseMerkleTree.VALUE_BYTES_MAX) {
          throw new IllegalArgumentException(
              "state value of " + value.get().size() + " bytes under key " + keys[i]
                  + " exceeds " + SparseMerkleTree.VALUE_BYTES_MAX);
        }
        values[i] = value.get().unsafeArray();
      }
      insertsBefore[i + 1] = insertsBefore[i] + (values[i] != null ? 1 : 0);
      // The splits binary-search the keys by path bit: they must be strictly ascending.
      if (i > 0 && keys[i - 1].compareTo(keys[i]) >= 0) {
        throw new IllegalStateException("state changes are not in ascending key order at " + keys[i]);
      }
      i++;
    }
    // About ten nodes per changed key on a large tree (its leaf and its unshared inner nodes).
    created = new ArrayList<>(Math.min(count, CREATED_PRESIZE_KEYS_MAX) * 10 + 16);
    // About as many read as created: presized, the map is not rehashed a dozen times as it grows.
    fetched = HashMap.newHashMap(Math.min(count, CREATED_PRESIZE_KEYS_MAX) * 10 + 16);
    replaced = new ArrayList<>(Math.min(count, CREATED_PRESIZE_KEYS_MAX) + 16);
  }

  /** A second instance over the same changes, for the other half of the tree. */
  private TreeBatch(TreeBatch shared) {
    store = shared.store;
    keys = shared.keys;
    keyBytes = shared.keyBytes;
    values = shared.values;
    insertsBefore = shared.insertsBefore;
    created = new ArrayList<>(Math.min(keys.length, CREATED_PRESIZE_KEYS_MAX) * 5 + 16);
    fetched = HashMap.newHashMap(Math.min(keys.length, CREATED_PRESIZE_KEYS_MAX) * 5 + 16);
    replaced = new ArrayList<>(Math.min(keys.length, CREATED_PRESIZE_KEYS_MAX) / 2 + 16);
  }

  TreeUpdate run(Hash root) {
    Hash newRoot = keys.length >= PARALLEL_CHANGES_MIN ? updateHalvesInParallel(root) : prefetchAndUpdate(root, 0, 0, keys.length);
    @SuppressWarnings("unchecked")
    Map.Entry<Hash, Bytes>[] entries = created.toArray(new Map.Entry[0]);
    Map<Hash, Bytes> newNodes;
    try {
      newNodes = Map.ofEntries(entries);
    } catch (IllegalArgumentException duplicate) {
      throw new IllegalStateException("state tree update created one node twice: " + duplicate.getMessage(), duplicate);
    }
    return new TreeUpdate(newRoot, newNodes, replaced);
  }

  /** {@link #update} of the root, with the right subtree computed by a fork-join task meanwhile. */
  private Hash updateHalvesInParallel(Hash root) {
    int count = keys.length;
    int mid = split(0, 0, count);
    if (mid == 0 || mid == count) {
      return prefetchAndUpdate(root, 0, 0, count);
    }
    Hash left = TreeHashes.EMPTY;
    Hash right = TreeHashes.EMPTY;
    boolean rootIsInner = false;
    if (!root.equals(TreeHashes.EMPTY)) {
      byte[] encoding = TreeNodes.load(store, root);
      if (TreeNodes.isLeaf(encoding)) {
        return prefetchAndUpdate(root, 0, 0, count);
      }
      rootIsInner = true;
      left = TreeNodes.child(encoding, 0);
      right = TreeNodes.child(encoding, 1);
    }
    TreeBatch other = new TreeBatch(this);
    Hash rightChild = right;
    ForkJoinTask<Hash> rightTask =
        ForkJoinTask.adapt(() -> other.prefetchAndUpdate(rightChild, 1, mid, count)).fork();
    Hash newLeft = prefetchAndUpdate(left, 1, 0, mid);
    int leftKind = lastKind;
    Hash newRight = rightTask.join();
    created.addAll(other.created);
    replaced.addAll(other.replaced);
    if (rootIsInner && newLeft.equals(left) && newRight.equals(right)) {
      lastKind = KIND_INNER;
      return root;
    }
    if (rootIsInner) {
      replaced.add(root);
    }
    return join(newLeft, leftKind, newRight, other.lastKind);
  }

  private Hash prefetchAndUpdate(Hash node, int depth, int from, int to) {
    prefetch(node, depth, from, to);
    return update(node, depth, from, to);
  }

  /**
   * Fetches, one tree level per store call, every node {@link #update} of the same arguments will read. A
   * node the store lacks is skipped here; the update then reads it again and fails with
   * {@link MissingNodeException} at the same point as without the prefetch.
   */
  private void prefetch(Hash node, int depth, int from, int to) {
    List<Hash> level = new ArrayList<>();
    // Per node of the level: its key range [from, to) packed as two ints.
    List<int[]> ranges = new ArrayList<>();
    if (!node.equals(TreeHashes.EMPTY)) {
      level.add(node);
      ranges.add(new int[] {from, to});
    }
    for (int d = depth; !level.isEmpty(); d++) {
      Map<Hash, Bytes> found = store.nodes(level);
      List<Hash> nextLevel = new ArrayList<>(2 * level.size());
      List<int[]> nextRanges = new ArrayList<>(2 * level.size());
      for (int i = 0; i < level.size(); i++) {
        Hash hash = level.get(i);
        Bytes encoding = found.get(hash);
        if (encoding == null) {
          continue;
        }
        byte[] checked = TreeNodes.checked(hash, encoding);
        fetched.put(hash, checked);
        if (TreeNodes.isLeaf(checked) || d >= SparseMerkleTree.KEY_BITS) {
          continue;
        }
        int[] range = ranges.get(i);
        int mid = split(d, range[0], range[1]);
        addChild(nextLevel, nextRanges, TreeNodes.child(checked, 0), range[0], mid);
        addChild(nextLevel, nextRanges, TreeNodes.child(checked, 1), mid, range[1]);
      }
      level = nextLevel;
      ranges = nextRanges;
    }
  }

  private static void addChild(List<Hash> level, List<int[]> ranges, Hash child, int from, int to) {
    if (from < to && !child.equals(TreeHashes.EMPTY)) {
      level.add(child);
      ranges.add(new int[] {from, to});
    }
  }

  private byte[] load(Hash node) {
    byte[] encoding = fetched.get(node);
    return encoding != null ? encoding : TreeNodes.load(store, node);
  }

  /** The new hash of the subtree at {@code node} (at {@code depth}) after the changes in [from, to). */
  private Hash update(Hash node, int depth, int from, int to) {
    if (node.equals(TreeHashes.EMPTY)) {
      return build(depth, from, to, null, null);
    }
    byte[] encoding = load(node);
    if (TreeNodes.isLeaf(encoding)) {
      Hash leafKey = TreeNodes.leafKey(encoding);
      boolean overwritten = Arrays.binarySearch(keys, from, to, leafKey) >= 0;
      if (overwritten) {
        replaced.add(node);
      }
      return overwritten ? build(depth, from, to, null, null) : build(depth, from, to, leafKey, node);
    }
    checkDepth(depth);
    int mid = split(depth, from, to);
    Hash left = TreeNodes.child(encoding, 0);
    Hash right = TreeNodes.child(encoding, 1);
    Hash newLeft = left;
    Hash newRight = right;
    int leftKind = KIND_UNKNOWN;
    int rightKind = KIND_UNKNOWN;
    if (from < mid) {
      newLeft = update(left, depth + 1, from, mid);
      leftKind = lastKind;
    }
    if (mid < to) {
      newRight = update(right, depth + 1, mid, to);
      rightKind = lastKind;
    }
    if (newLeft.equals(left) && newRight.equals(right)) {
      lastKind = KIND_INNER;
      return node;
    }
    replaced.add(node);
    return join(newLeft, leftKind, newRight, rightKind);
  }

  /**
   * The parent of two subtrees in compact form: a subtree holding a single key is that key's leaf, so a leaf
   * next to an empty sibling moves up instead of getting a parent.
   */
  private Hash join(Hash left, int leftKind, Hash right, int rightKind) {
    boolean leftEmpty = left.equals(TreeHashes.EMPTY);
    boolean rightEmpty = right.equals(TreeHashes.EMPTY);
    if (leftEmpty && rightEmpty) {
      lastKind = KIND_EMPTY;
      return TreeHashes.EMPTY;
    }
    if (leftEmpty && isLeaf(right, rightKind)) {
      lastKind = KIND_LEAF;
      return right;
    }
    if (rightEmpty && isLeaf(left, leftKind)) {
      lastKind = KIND_LEAF;
      return left;
    }
    lastKind = KIND_INNER;
    return makeInner(left, right);
  }

  private boolean isLeaf(Hash node, int kind) {
    if (kind != KIND_UNKNOWN) {
      return kind == KIND_LEAF;
    }
    // Only reached when a deletion emptied the other side: reading the untouched sibling is rare.
    return TreeNodes.isLeaf(load(node));
  }

  /**
   * Builds the compact subtree at {@code depth} holding the inserts in [from, to) plus, when {@code extraKey}
   * is not null, an existing leaf that no change touches (kept by hash: it is already stored).
   */
  private Hash build(int depth, int from, int to, Hash extraKey, Hash extraLeaf) {
    int live = insertsBefore[to] - insertsBefore[from] + (extraKey != null ? 1 : 0);
    if (live == 0) {
      lastKind = KIND_EMPTY;
      return TreeHashes.EMPTY;
    }
    if (live == 1) {
      lastKind = KIND_LEAF;
      if (extraKey != null) {
        return extraLeaf;
      }
      int i = from;
      while (values[i] == null) {
        i++;
      }
      return makeLeaf(keys[i], values[i]);
    }
    checkDepth(depth);
    int mid = split(depth, from, to);
    boolean extraRight = extraKey != null && extraKey.bit(depth) == 1;
    Hash left = extraRight ? build(depth + 1, from, mid, null, null) : build(depth + 1, from, mid, extraKey, extraLeaf);
    Hash right = extraRight ? build(depth + 1, mid, to, extraKey, extraLeaf) : build(depth + 1, mid, to, null, null);
    // Two or more keys: if all sit on one side, that side is an inner node, so no leaf can need lifting.
    lastKind = KIND_INNER;
    return makeInner(left, right);
  }

  /** The first index in [from, to) whose key has bit {@code depth} set; keys there share all higher bits. */
  private int split(int depth, int from, int to) {
    int byteIndex = depth >>> 3;
    int mask = 0x80 >>> (depth & 7);
    int low = from;
    int high = to;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if ((keyBytes[middle * Hash.SIZE + byteIndex] & mask) == 0) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  private static void checkDepth(int depth) {
    if (depth >= SparseMerkleTree.KEY_BITS) {
      throw new IllegalStateException("state tree deeper than " + SparseMerkleTree.KEY_BITS + " bits");
    }
  }

  private Hash makeLeaf(Hash key, byte[] value) {
    byte[] encoding = TreeNodes.encodeLeaf(key, value);
    Hash hash = hasher.leaf(key, hasher.valueDigest(value));
    created.add(Map.entry(hash, Bytes.wrap(encoding)));
    return hash;
  }

  private Hash makeInner(Hash left, Hash right) {
    byte[] encoding = TreeNodes.encodeInner(left, right);
    Hash hash = hasher.inner(encoding, 1);
    created.add(Map.entry(hash, Bytes.wrap(encoding)));
    return hash;
  }
}
