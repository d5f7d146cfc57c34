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
    // Set-associative: room for every node of the update with a wide margin (near twins make deep paths).
    CachingNodeStore cache = new CachingNodeStore(backing, 65_536);
    Scenario scenario = new Scenario(42, 30);
    SparseMerkleTree plain = Scenario.applyAll(
        new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT), store, scenario.batches(scenario.writes(60)));

    TreeUpdate update = new SparseMerkleTree(cache, SparseMerkleTree.EMPTY_ROOT).apply(
        Scenario.putsOf(collect(plain, scenario)));
    backing.nodes.putAll(update);
    cache.rememberAll(update);
    assertThat(cache.size()).isEqualTo(update.newNodes().size());
    SparseMerkleTree cached = new SparseMerkleTree(cache, update.root());

    assertThat(cached.root()).isEqualTo(plain.root());
    for (Hash key : scenario.keys) {
      assertThat(cached.get(key)).isEqualTo(plain.get(key));
    }
    assertThat(backing.reads.get()).isZero();
  }

  @Test
  void aNodeReadSinceTheLastEvictionPassOutlivesUnreadOnes() {
    // 16 slots: one set of one way per segment would be too small to say anything, so use 128 (8 ways).
    CountingStore backing = new CountingStore();
    CachingNodeStore cache = new CachingNodeStore(backing, 128);
    long seed = System.nanoTime();
    java.util.Random random = new java.util.Random(seed);
    Hash kept = randomHash(random);
    backing.nodes.put(kept, Bytes.fromHex("01"));
    cache.node(kept);
    for (int i = 0; i < 5_000; i++) {
      Hash other = randomHash(random);
      backing.nodes.put(other, Bytes.fromHex("02"));
      cache.node(other);
      cache.node(kept);
    }
    int reads = backing.reads.get();

    assertThat(cache.node(kept)).as("seed=%d", seed).contains(Bytes.fromHex("01"));
    assertThat(backing.reads.get()).as("seed=%d: the hot node was evicted", seed).isEqualTo(reads);
    assertThat(cache.size()).as("seed=%d", seed).isEqualTo(cache.nodesMax()).isEqualTo(128);
  }

  @Test
  void encodingsLongerThanASlotAreServedButNotCached() {
    CountingStore backing = new CountingStore();
    CachingNodeStore cache = new CachingNodeStore(backing, 64);
    Bytes largest = Bytes.wrap(new byte[CachingNodeStore.ENCODING_BYTES_MAX]);
    Bytes tooLarge = Bytes.wrap(new byte[CachingNodeStore.ENCODING_BYTES_MAX + 1]);
    backing.nodes.put(hashOf(1), largest);
    backing.nodes.put(hashOf(2), tooLarge);

    for (int i = 0; i < 2; i++) {
      assertThat(cache.node(hashOf(1))).contains(largest);
      assertThat(cache.node(hashOf(2))).contains(tooLarge);
    }

    assertThat(backing.reads.get()).isEqualTo(3);
    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.node(hashOf(1)).orElseThrow().size()).isEqualTo(CachingNodeStore.ENCODING_BYTES_MAX);
  }

  @Test
  void concurrentReadersAndWritersOnlyEverSeeTheEncodingOfTheHashTheyAskFor() throws Exception {
    CountingStore backing = new CountingStore();
    int count = 4_000;
    java.util.List<Hash> hashes = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      Hash hash = hashOf(i);
      hashes.add(hash);
      backing.nodes.put(hash, encodingOf(i));
    }
    // Far fewer slots than nodes: slots are overwritten all the time while others read them.
    CachingNodeStore cache = new CachingNodeStore(backing, 256);
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t;
        done.add(threads.submit(() -> {
          for (int round = 0; round < 20; round++) {
            for (int i = offset; i < count; i += 3) {
              assertThat(cache.node(hashes.get(i))).contains(encodingOf(i));
            }
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> future : done) {
        future.get();
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(cache.size()).isLessThanOrEqualTo(cache.nodesMax());
  }

  private static Bytes encodingOf(int i) {
    byte[] encoding = new byte[1 + (i % 100)];
    java.util.Arrays.fill(encoding, (byte) i);
    encoding[0] = (byte) (i >>> 8);
    return Bytes.wrap(encoding);
  }

  private static Hash randomHash(java.util.Random random) {
    byte[] bytes = new byte[Hash.SIZE];
    random.nextBytes(bytes);
    return Hash.wrap(bytes);
  }

  private static java.util.Map<Hash, Bytes> collect(SparseMerkleTree tree, Scenario scenario) {
    java.util.Map<Hash, Bytes> entries = new java.util.HashMap<>();
    for (Hash key : scenario.keys) {
      tree.get(key).ifPresent(value -> entries.put(key, value));
    }
    return entries;
  }
}
