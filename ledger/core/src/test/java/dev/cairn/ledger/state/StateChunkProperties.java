package dev.cairn.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.model.Validation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Chunks of random trees verify, cover the state exactly once, survive their codec, and fail when tampered. */
class StateChunkProperties {
  private static final int LEAF_BYTES_MAX = 1 << 20;

  @Property(tries = 200)
  void chunksOfARandomTreeVerifyAndCoverTheStateExactly(
      @ForAll long seed, @ForAll @IntRange(min = 0, max = 60) int keyCount, @ForAll @IntRange(min = 0, max = 7) int prefixBits) {
    Fixture f = new Fixture(seed, keyCount);
    TreeMap<Hash, Bytes> rebuilt = new TreeMap<>();
    for (long index = 0; index < (1L << prefixBits); index++) {
      StateChunk chunk = StateChunk.of(f.store, f.root, StateChunk.prefixOf(index, prefixBits), prefixBits, LEAF_BYTES_MAX);
      assertThat(chunk.verify(f.root)).isEqualTo(Validation.VALID);
      StateChunk decoded = StateChunk.decode(chunk.encode(), LEAF_BYTES_MAX + 4096);
      assertThat(decoded).isEqualTo(chunk);
      assertThat(decoded.encode()).isEqualTo(chunk.encode());
      for (StateChunk.Leaf leaf : chunk.leavesInPrefix()) {
        assertThat(rebuilt.put(leaf.key(), leaf.value())).as("a leaf in two chunks").isNull();
      }
    }
    assertThat(rebuilt).isEqualTo(f.entries);
  }

  @Property(tries = 300)
  void aTamperedChunkFails(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int keyCount, @ForAll @IntRange(min = 0, max = 5) int prefixBits) {
    Fixture f = new Fixture(seed, keyCount);
    Random random = new Random(seed ^ 0x5EED);
    StateChunk chunk = null;
    for (int attempt = 0; attempt < 64 && (chunk == null || chunk.leaves().isEmpty()); attempt++) {
      long index = random.nextLong(1L << prefixBits);
      chunk = StateChunk.of(f.store, f.root, StateChunk.prefixOf(index, prefixBits), prefixBits, LEAF_BYTES_MAX);
    }
    if (chunk.leaves().isEmpty()) {
      return; // every probed prefix was empty: nothing to tamper with but the path, covered below
    }
    List<StateChunk.Leaf> leaves = new ArrayList<>(chunk.leaves());
    int victim = random.nextInt(leaves.size());
    StateChunk.Leaf leaf = leaves.get(victim);
    StateChunk tampered =
        switch (random.nextInt(4)) {
          case 0 -> { // one value byte changed, or a byte added to an empty value
            byte[] value = leaf.value().toArray();
            if (value.length == 0) {
              value = new byte[] {1};
            } else {
              value[random.nextInt(value.length)] ^= 1;
            }
            leaves.set(victim, new StateChunk.Leaf(leaf.key(), Bytes.wrap(value)));
            yield new StateChunk(chunk.prefix(), prefixBits, chunk.siblings(), leaves);
          }
          case 1 -> { // a leaf withheld
            leaves.remove(victim);
            yield new StateChunk(chunk.prefix(), prefixBits, chunk.siblings(), leaves);
          }
          case 2 -> { // a leaf added next to a real one
            byte[] key = leaf.key().toArray();
            key[31] ^= 1;
            Hash extra = Hash.wrap(key);
            if (f.entries.containsKey(extra)) {
              leaves.remove(victim);
            } else {
              leaves.add(new StateChunk.Leaf(extra, Bytes.wrap(new byte[] {7})));
              leaves.sort((a, b) -> a.key().compareTo(b.key()));
            }
            yield new StateChunk(chunk.prefix(), prefixBits, chunk.siblings(), leaves);
          }
          default -> { // a sibling replaced, or a path invented where there is none
            List<Hash> siblings = new ArrayList<>(chunk.siblings());
            if (siblings.isEmpty()) {
              if (prefixBits == 0) {
                leaves.remove(victim);
                yield new StateChunk(chunk.prefix(), prefixBits, siblings, leaves);
              }
              siblings.add(Hash.wrap(bytesOf(random)));
            } else {
              siblings.set(random.nextInt(siblings.size()), Hash.wrap(bytesOf(random)));
            }
            yield new StateChunk(chunk.prefix(), prefixBits, siblings, leaves);
          }
        };
    assertThat(tampered.verify(f.root).isValid()).as("tampered chunk %s", tampered).isFalse();
  }

  private static byte[] bytesOf(Random random) {
    byte[] bytes = new byte[Hash.SIZE];
    random.nextBytes(bytes);
    return bytes;
  }

  /** A random tree over {@link Scenario}'s keys (many near twins, so deep chains), stored in memory. */
  private static final class Fixture {
    final MemoryNodeStore store = new MemoryNodeStore();
    final TreeMap<Hash, Bytes> entries = new TreeMap<>();
    final Hash root;

    Fixture(long seed, int keyCount) {
      if (keyCount == 0) {
        root = SparseMerkleTree.EMPTY_ROOT;
        return;
      }
      Scenario scenario = new Scenario(seed, keyCount);
      for (Hash key : scenario.keys) {
        entries.put(key, scenario.anyValue());
      }
      TreeUpdate update = new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT).apply(Scenario.putsOf(Map.copyOf(entries)));
      store.putAll(update);
      root = update.root();
    }
  }
}
