package dev.cairn.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachingNodeStoreTest {
  /** A real memory store that counts the reads reaching it. */
  private static final class CountingStore implements TreeNodeStore {
    final MemoryNodeStore nodes = new MemoryNodeStore();
    final AtomicInteger reads = new AtomicInteger();

    @Override
    public Optional<Bytes> node(Hash nodeHash) {
      reads.incrementAndGet();
      return nodes.node(nodeHash);
    }
  }

  private static Hash hashOf(int i) {
    byte[] bytes = new byte[Hash.SIZE];
    bytes[0] = (byte) (i >>> 8);
    bytes[1] = (byte) i;
    bytes[31] = 1;
    return Hash.wrap(bytes);
  }

  @Test
  void aCachedNodeIsServedWithoutReadingTheBackingStore() {
    CountingStore backing = new CountingStore();
    backing.nodes.put(hashOf(1), Bytes.fromHex("aa"));
    CachingNodeStore cache = new CachingNodeStore(backing, 64);

    assertThat(cache.node(hashOf(1))).contains(Bytes.fromHex("aa"));
    assertThat(cache.node(hashOf(1))).contains(Bytes.fromHex("aa"));

    assertThat(backing.reads.get()).isEqualTo(1);
  }

  @Test
  void missesAreNotCachedSoALaterWriteIsSeen() {
    CountingStore backing = new CountingStore();
    CachingNodeStore cache = new CachingNodeStore(backing, 64);

    assertThat(cache.node(hashOf(2))).isEmpty();
    backing.nodes.put(hashOf(2), Bytes.fromHex("bb"));

    assertThat(cache.node(hashOf(2))).contains(Bytes.fromHex("bb"));
  }

  @Test
  void theCacheStaysWithinItsBound() {
    CountingStore backing = new CountingStore();
    CachingNodeStore cache = new CachingNodeStore(backing, 32);
    for (int i = 0; i < 1000; i++) {
      backing.nodes.put(hashOf(i), Bytes.fromHex("cc"));
      cache.node(hashOf(i));
    }

    assertThat(cache.size()).isPositive().isLessThanOrEqualTo(cache.nodesMax());
    assertThatThrownBy(() -> new CachingNodeStore(backing, 3)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBatchedReadServesHitsFromTheCacheAndFetchesOnlyTheMissesWithoutCachingThem() {
    CountingStore backing = new CountingStore();
    for (int i = 0; i < 4; i++) {
      backing.nodes.put(hashOf(i), Bytes.fromHex("0" + i));
    }
    CachingNodeStore cache = new CachingNodeStore(backing, 64);
    cache.node(hashOf(0));
    cache.node(hashOf(1));

    java.util.Map<Hash, Bytes> found = cache.nodes(java.util.List.of(hashOf(0), hashOf(1), hashOf(2), hashOf(3), hashOf(9)));

    assertThat(found).containsOnlyKeys(hashOf(0), hashOf(1), hashOf(2), hashOf(3));
    assertThat(found.get(hashOf(3))).isEqualTo(Bytes.fromHex("03"));
    // 2 single reads, then the batch's 3 misses (2, 3 and the absent 9), which stay uncached.
    assertThat(backing.reads.get()).isEqualTo(5);
    assertThat(cache.nodes(java.util.List.of(hashOf(0), hashOf(2)))).hasSize(2);
    assertThat(backing.reads.get()).isEqualTo(6);
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void anUpdateThatFetchesLevelsAheadFailsOnAMissingNodeAsBefore() {
    MemoryNodeStore store = new MemoryNodeStore();
    Scenario scenario = new Scenario(7, 3_000);
    SparseMerkleTree tree = Scenario.applyAll(
        new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT), store, scenario.batches(scenario.writes(3_000)));
    MemoryNodeStore partial = new MemoryNodeStore();
    TreeUpdate full = new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT).apply(
        Scenario.putsOf(collect(tree, scenario)));
    full.newNodes().forEach((hash, node) -> {
      if (!hash.equals(full.root())) {
        partial.put(hash, node);
      }
    });

    assertThatThrownBy(() -> new SparseMerkleTree(partial, full.root()).apply(
        Scenario.putsOf(java.util.Map.of(scenario.keys.get(0), Bytes.fromHex("01")))))
        .isInstanceOf(MissingNodeException.class);
  }

  @Test
  void aTreeReadsTheSameThroughTheCacheAndRemembersCommittedNodes() {
    MemoryNodeStore store = new MemoryNodeStore();
    CountingStore backing = new CountingStore();
    CachingNodeStore cache = new CachingNodeStore(backing, 1024);
    Scenario scenario = new Scenario(42, 30);
    SparseMerkleTree plain = Scenario.applyAll(
        new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT), store, scenario.batches(scenario.writes(60)));

    TreeUpdate update = new SparseMerkleTree(cache, SparseMerkleTree.EMPTY_ROOT).apply(
        Scenario.putsOf(collect(plain, scenario)));
    backing.nodes.putAll(update);
    cache.rememberAll(update);
    SparseMerkleTree cached = new SparseMerkleTree(cache, update.root());

    assertThat(cached.root()).isEqualTo(plain.root());
    for (Hash key : scenario.keys) {
      assertThat(cached.get(key)).isEqualTo(plain.get(key));
    }
    assertThat(backing.reads.get()).isZero();
  }

  private static java.util.Map<Hash, Bytes> collect(SparseMerkleTree tree, Scenario scenario) {
    java.util.Map<Hash, Bytes> entries = new java.util.HashMap<>();
    for (Hash key : scenario.keys) {
      tree.get(key).ifPresent(value -> entries.put(key, value));
    }
    return entries;
  }
}
