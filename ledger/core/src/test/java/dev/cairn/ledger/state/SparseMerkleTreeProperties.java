package dev.cairn.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The tree against {@link ReferenceTree}: roots, reads, batching, order and deletion. */
class SparseMerkleTreeProperties {

  @Property(tries = 300)
  void rootAndReadsMatchTheReferenceAfterEveryBatch(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int keyCount, @ForAll @IntRange(min = 1, max = 120) int writeCount) {
    Scenario scenario = new Scenario(seed, keyCount);
    MemoryNodeStore store = new MemoryNodeStore();
    ReferenceTree model = new ReferenceTree();
    SparseMerkleTree tree = new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT);

    for (StateChanges batch : scenario.batches(scenario.writes(writeCount))) {
      TreeUpdate update = tree.apply(batch);
      store.putAll(update);
      tree = new SparseMerkleTree(store, update.root());
      batch.writes().forEach((key, value) -> {
        if (value.isPresent()) {
          model.put(key, value.get());
        } else {
          model.delete(key);
        }
      });

      assertThat(tree.root()).isEqualTo(model.root());
      for (Hash key : scenario.keys) {
        assertThat(tree.get(key)).isEqualTo(Optional.ofNullable(model.entries.get(key)));
      }
    }
  }

  @Property(tries = 200)
  void sameEntriesGiveTheSameRootWhateverTheOrderAndBatching(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int keyCount, @ForAll @IntRange(min = 1, max = 100) int writeCount) {
    Scenario scenario = new Scenario(seed, keyCount);
    MemoryNodeStore store = new MemoryNodeStore();
    SparseMerkleTree empty = new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT);
    // A history with overwrites and deletions, in random batches...
    List<Map.Entry<Hash, Optional<Bytes>>> history = scenario.writes(writeCount);
    SparseMerkleTree viaHistory = Scenario.applyAll(empty, store, scenario.batches(history));
    TreeMap<Hash, Bytes> finalState = new TreeMap<>();
    history.forEach(w -> {
      if (w.getValue().isPresent()) {
        finalState.put(w.getKey(), w.getValue().get());
      } else {
        finalState.remove(w.getKey());
      }
    });
    // ...the final entries in one batch, and one entry at a time in a shuffled order.
    SparseMerkleTree inOneBatch = Scenario.applyAll(empty, store, List.of(Scenario.putsOf(finalState)));
    List<StateChanges> oneByOne = new ArrayList<>();
    for (Map.Entry<Hash, Bytes> entry : scenario.shuffled(new ArrayList<>(finalState.entrySet()))) {
      oneByOne.add(Scenario.putsOf(Map.of(entry.getKey(), entry.getValue())));
    }
    SparseMerkleTree shuffled = Scenario.applyAll(empty, store, oneByOne);

    assertThat(inOneBatch.root()).isEqualTo(viaHistory.root());
    assertThat(shuffled.root()).isEqualTo(viaHistory.root());
  }

  @Property(tries = 200)
  void deletingAddedKeysRestoresThePreviousRoot(
      @ForAll long seed, @ForAll @IntRange(min = 2, max = 40) int keyCount, @ForAll @IntRange(min = 1, max = 39) int baseCount) {
    Scenario scenario = new Scenario(seed, keyCount);
    MemoryNodeStore store = new MemoryNodeStore();
    List<Hash> keys = scenario.shuffled(scenario.keys);
    int split = Math.min(baseCount, keys.size() - 1);
    TreeMap<Hash, Bytes> base = new TreeMap<>();
    keys.subList(0, split).forEach(k -> base.put(k, scenario.anyValue()));
    SparseMerkleTree baseTree =
        Scenario.applyAll(new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT), store, List.of(Scenario.putsOf(base)));

    List<Map.Entry<Hash, Optional<Bytes>>> adds = new ArrayList<>();
    List<Map.Entry<Hash, Optional<Bytes>>> removes = new ArrayList<>();
    for (Hash extra : keys.subList(split, keys.size())) {
      adds.add(Map.entry(extra, Optional.of(scenario.anyValue())));
      removes.add(Map.entry(extra, Optional.empty()));
    }
    SparseMerkleTree grown = Scenario.applyAll(baseTree, store, scenario.batches(adds));
    SparseMerkleTree shrunk = Scenario.applyAll(grown, store, scenario.batches(scenario.shuffled(removes)));

    assertThat(grown.root()).isNotEqualTo(baseTree.root());
    assertThat(shrunk.root()).isEqualTo(baseTree.root());
  }

  @Property(tries = 100)
  void applyCreatesExactlyTheNodesTheNewRootNeeds(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int keyCount, @ForAll @IntRange(min = 1, max = 80) int writeCount) {
    // A store holding only the old root's nodes plus the created ones serves every read of the new root,
    // and every created node belongs to the new tree (no garbage written with the block).
    Scenario scenario = new Scenario(seed, keyCount);
    MemoryNodeStore store = new MemoryNodeStore();
    SparseMerkleTree tree = new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT);
    for (StateChanges batch : scenario.batches(scenario.writes(writeCount))) {
      TreeUpdate update = tree.apply(batch);
      MemoryNodeStore next = new MemoryNodeStore();
      for (Hash node : reachable(store, tree.root())) {
        next.put(node, store.node(node).orElseThrow());
      }
      next.putAll(update);

      List<Hash> newTree = reachable(next, update.root());
      assertThat(newTree).containsAll(update.newNodes().keySet());
      store = next;
      tree = new SparseMerkleTree(store, update.root());
    }
  }

  @Property(tries = 15)
  void largeBatchesUpdatedInParallelMatchTheReference(
      @ForAll long seed, @ForAll @IntRange(min = 0, max = 2) int shape) {
    // shape 0: keys everywhere; 1: all keys in the left half (no parallel split); 2: a leaf root first.
    Scenario scenario = new Scenario(seed, 1);
    MemoryNodeStore store = new MemoryNodeStore();
    ReferenceTree model = new ReferenceTree();
    SparseMerkleTree tree = new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT);
    if (shape == 2) {
      Hash only = scenario.anyKey();
      model.put(only, Bytes.EMPTY);
      tree = Scenario.applyAll(tree, store, List.of(Scenario.putsOf(Map.of(only, Bytes.EMPTY))));
    }
    List<Hash> keys = new ArrayList<>();
    for (int i = 0; i < 2 * TreeBatch.PARALLEL_CHANGES_MIN + 500; i++) {
      byte[] key = new byte[Hash.SIZE];
      scenario.random.nextBytes(key);
      if (shape == 1) {
        key[0] &= 0x7F;
      }
      keys.add(Hash.wrap(key));
    }
    for (int round = 0; round < 3; round++) {
      TreeMap<Hash, Optional<Bytes>> writes = new TreeMap<>();
      for (Hash key : keys) {
        if (scenario.random.nextInt(3) == 0) {
          continue;
        }
        Optional<Bytes> value = scenario.random.nextInt(4) == 0 ? Optional.empty() : Optional.of(scenario.anyValue());
        writes.put(key, value);
        value.ifPresentOrElse(v -> model.put(key, v), () -> model.delete(key));
      }
      assertThat(writes.size()).isGreaterThanOrEqualTo(TreeBatch.PARALLEL_CHANGES_MIN);
      tree = Scenario.applyAll(tree, store, List.of(new StateChanges(writes)));

      assertThat(tree.root()).isEqualTo(model.root());
    }
    for (Hash key : keys.subList(0, 200)) {
      assertThat(tree.get(key)).isEqualTo(Optional.ofNullable(model.entries.get(key)));
    }
  }

  /**
   * What pruning relies on: an update's replaced nodes are exactly the nodes of the old tree that the new tree
   * lacks, whatever the writes (same-value rewrites, deletions that move leaves up, a large batch that updates
   * the root's halves on two threads).
   */
  @Property(tries = 200)
  void replacedNodesAreExactlyTheOldTreesNodesThatTheNewTreeLacks(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int keyCount, @ForAll @IntRange(min = 1, max = 120) int writeCount) {
    Scenario scenario = new Scenario(seed, keyCount);
    checkReplacedNodes(scenario.batches(scenario.writes(writeCount)));
  }

  /**
   * The same for batches large enough to be computed on two threads. A separate property with few tries: each
   * try walks trees of ~8,000 keys, so with half of 200 tries large it was most of the ledger suite's time,
   * and over an hour of the 50x properties soak.
   */
  @Property(tries = 12)
  void replacedNodesAreExactlyTheOldTreesNodesThatTheNewTreeLacksInParallelBatches(@ForAll long seed) {
    Scenario scenario = new Scenario(seed, 2 * TreeBatch.PARALLEL_CHANGES_MIN + 100);
    checkReplacedNodes(largeBatches(scenario.writes(3 * (2 * TreeBatch.PARALLEL_CHANGES_MIN + 100))));
  }

  private static void checkReplacedNodes(List<StateChanges> batches) {
    MemoryNodeStore store = new MemoryNodeStore();
    SparseMerkleTree tree = new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT);
    for (StateChanges batch : batches) {
      java.util.Set<Hash> before = new java.util.HashSet<>(reachable(store, tree.root()));
      TreeUpdate update = tree.apply(batch);
      store.putAll(update);
      tree = new SparseMerkleTree(store, update.root());
      java.util.Set<Hash> after = new java.util.HashSet<>(reachable(store, tree.root()));
      java.util.Set<Hash> gone = new java.util.HashSet<>(before);
      gone.removeAll(after);
      assertThat(update.replacedNodes()).doesNotHaveDuplicates();
      assertThat(new java.util.HashSet<>(update.replacedNodes())).isEqualTo(gone);
    }
  }

  private static List<StateChanges> largeBatches(List<Map.Entry<Hash, Optional<Bytes>>> writes) {
    List<StateChanges> out = new ArrayList<>();
    int size = writes.size() / 3;
    for (int start = 0; start < writes.size(); start += size) {
      TreeMap<Hash, Optional<Bytes>> batch = new TreeMap<>();
      for (Map.Entry<Hash, Optional<Bytes>> w : writes.subList(start, Math.min(writes.size(), start + size))) {
        batch.put(w.getKey(), w.getValue());
      }
      out.add(new StateChanges(batch));
    }
    return out;
  }

  private static List<Hash> reachable(TreeNodeStore store, Hash root) {
    List<Hash> out = new ArrayList<>();
    List<Hash> todo = new ArrayList<>(List.of(root));
    while (!todo.isEmpty()) {
      Hash node = todo.remove(todo.size() - 1);
      if (node.equals(TreeHashes.EMPTY)) {
        continue;
      }
      out.add(node);
      byte[] encoding = TreeNodes.load(store, node);
      if (!TreeNodes.isLeaf(encoding)) {
        todo.add(TreeNodes.child(encoding, 0));
        todo.add(TreeNodes.child(encoding, 1));
      }
    }
    return out;
  }
}
