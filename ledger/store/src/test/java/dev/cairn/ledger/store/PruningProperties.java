package dev.cairn.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.execution.ExecutedBlock;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.state.SparseMerkleTree;
import dev.cairn.ledger.state.StateProof;
import dev.cairn.ledger.state.TreeNodeStore;
import dev.cairn.ledger.store.fixtures.ChainFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A pruning store against an unpruned twin fed the same blocks: reads at the head are the same, the state of
 * every retained height proves exactly as the twin's does, pruned heights answer {@link PrunedException},
 * the pruned chain verifies, and the state nodes left are exactly those the retained roots reach (nothing
 * a retained root needs was deleted, nothing else was left). The writes come from a small key and value space
 * so values come back and tree nodes are replaced and then recreated, the case pruning must not get wrong.
 */
class PruningProperties {
  private static final int KEYS = 12;

  @Property(tries = 12)
  void prunedStoreProvesEveryRetainedHeightLikeItsUnprunedTwin(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int retainBlocks, @ForAll @IntRange(min = 1, max = 6) int retainState,
      @ForAll @IntRange(min = 1, max = 40) int batchEntriesMax) throws IOException {
    Random random = new Random(seed);
    Path dir = Files.createTempDirectory("cairn-pruning");
    Retention retention = new Retention(retainBlocks, retainState, batchEntriesMax);
    List<Hash> keys = new ArrayList<>();
    for (int k = 0; k < KEYS; k++) {
      keys.add(scratchKey(k));
    }
    ChainFixture fixture = ChainFixture.create(1, 4, seed);
    keys.addAll(fixture.state().keySet());
    List<Hash> txIds = new ArrayList<>();
    try (ChainStore twin = ChainStore.open(dir.resolve("twin"), StoreConfig.small());
        ChainStore pruned = ChainStore.open(dir.resolve("pruned"), StoreConfig.small().withRetention(retention))) {
      ExecutedBlock genesis = fixture.genesis();
      twin.commit(genesis, fixture.certify(genesis));
      pruned.commit(genesis, fixture.certify(genesis));
      int blocks = 25 + random.nextInt(15);
      for (int b = 0; b < blocks; b++) {
        ExecutedBlock next = fixture.next(random.nextInt(3), writes(random), Optional.empty());
        twin.commit(next, fixture.certify(next));
        pruned.commit(next, fixture.certify(next));
        next.block().transactions().stream().map(Transaction::id).forEach(txIds::add);
        // Sometimes one step, sometimes none, sometimes to the end: pruning lags and catches up.
        int steps = random.nextInt(3);
        if (steps == 2) {
          while (pruned.prune().moreWork()) {
            // to the end
          }
        } else if (steps == 1) {
          pruned.prune();
        }
        checkHeadReads(twin, pruned, keys);
      }
      while (pruned.prune().moreWork()) {
        // to the end
      }
      long head = pruned.head().orElseThrow().height();
      assertThat(pruned.stateRetainedFrom()).isEqualTo(head - retainState + 1);
      assertThat(pruned.bodiesRetainedFrom()).isEqualTo(head - retainBlocks + 1);
      checkRetainedState(twin, pruned, keys, head);
      checkPrunedBlocks(twin, pruned, txIds, head);
      assertThat(storedNodes(pruned)).isEqualTo(reachableFrom(pruned, pruned.stateRetainedFrom(), head));

      ChainVerifier verifier = new ChainVerifier(pruned);
      VerificationResult chain = verifier.verify(ChainVerifier.Progress.NONE);
      assertThat(chain.passed()).as(chain.toString()).isTrue();
      assertThat(verifier.verifyState().passed()).isTrue();
    } finally {
      delete(dir);
    }
  }

  private static Hash scratchKey(int k) {
    byte[] key = new byte[Hash.SIZE];
    key[0] = (byte) 0xEE;
    key[1] = (byte) k;
    return Hash.wrap(key);
  }

  /** A few writes over a small key space with three possible values or a delete: values come back often. */
  private static Map<Hash, Optional<Bytes>> writes(Random random) {
    Map<Hash, Optional<Bytes>> writes = new HashMap<>();
    int count = random.nextInt(5);
    for (int i = 0; i < count; i++) {
      int value = random.nextInt(4);
      writes.put(scratchKey(random.nextInt(KEYS)),
          value == 3 ? Optional.empty() : Optional.of(Bytes.wrap(new byte[] {(byte) value})));
    }
    return writes;
  }

  private static void checkHeadReads(ChainStore twin, ChainStore pruned, List<Hash> keys) {
    assertThat(pruned.head()).isEqualTo(twin.head());
    SparseMerkleTree headTree = new SparseMerkleTree(pruned.nodes(), pruned.head().orElseThrow().stateRoot());
    for (Hash key : keys) {
      assertThat(pruned.state().get(key)).isEqualTo(twin.state().get(key));
      assertThat(headTree.get(key)).isEqualTo(twin.state().get(key));
    }
  }

  private static void checkRetainedState(ChainStore twin, ChainStore pruned, List<Hash> keys, long head) {
    // Read past the node cache: a deleted node must not be answered from memory.
    {
      for (long h = pruned.stateRetainedFrom(); h <= head; h++) {
        Hash root = pruned.header(h).orElseThrow().stateRoot();
        SparseMerkleTree mine = new SparseMerkleTree(storedOnly(pruned), root);
        SparseMerkleTree theirs = new SparseMerkleTree(twin.nodes(), root);
        for (Hash key : keys) {
          StateProof proof = mine.prove(key);
          assertThat(proof).isEqualTo(theirs.prove(key));
          assertThat(StateProof.verify(root, key, theirs.get(key), proof).isValid()).isTrue();
        }
        pruned.requireState(h);
      }
      for (long h = 0; h < pruned.stateRetainedFrom(); h++) {
        long height = h;
        assertThatThrownBy(() -> pruned.requireState(height)).isInstanceOf(PrunedException.class)
            .hasMessageContaining("keeps them from height " + pruned.stateRetainedFrom());
      }
    }
  }

  private static void checkPrunedBlocks(ChainStore twin, ChainStore pruned, List<Hash> txIds, long head) {
    for (long h = 1; h <= head; h++) {
      long height = h;
      assertThat(pruned.header(h)).isEqualTo(twin.header(h));
      assertThat(pruned.certificate(h)).isEqualTo(twin.certificate(h));
      if (h < pruned.bodiesRetainedFrom()) {
        assertThatThrownBy(() -> pruned.block(height)).isInstanceOf(PrunedException.class);
        assertThat(pruned.receipts(h)).isEmpty();
        assertThat(pruned.blocks(h, 10, 1 << 20)).isEmpty();
        for (Transaction tx : twin.block(h).orElseThrow().transactions()) {
          assertThat(pruned.transaction(tx.id())).isEmpty();
        }
      } else {
        assertThat(pruned.block(h)).isEqualTo(twin.block(h));
        assertThat(pruned.receipts(h)).isEqualTo(twin.receipts(h));
      }
    }
    long kept = txIds.stream().filter(id -> pruned.transaction(id).isPresent()).count();
    long expected = txIds.stream().filter(id -> twin.txLocation(id).orElseThrow().height() >= pruned.bodiesRetainedFrom()).count();
    assertThat(kept).isEqualTo(expected);
  }

  /** The state node family read directly, past the node cache. */
  private static TreeNodeStore storedOnly(ChainStore store) {
    return new TreeNodeStore() {
      @Override
      public Optional<Bytes> node(Hash nodeHash) {
        return Optional.ofNullable(store.rocks().get(ColumnFamily.STATE_NODES, nodeHash.unsafeArray())).map(Bytes::wrap);
      }

      @Override
      public Map<Hash, Bytes> nodes(java.util.Collection<Hash> nodeHashes) {
        Map<Hash, Bytes> out = new HashMap<>();
        for (Hash hash : nodeHashes) {
          node(hash).ifPresent(bytes -> out.put(hash, bytes));
        }
        return out;
      }
    };
  }

  private static Set<Hash> storedNodes(ChainStore store) {
    return store.rocks().iterate(ColumnFamily.STATE_NODES, it -> {
      Set<Hash> out = new HashSet<>();
      for (it.seekToFirst(); it.isValid(); it.next()) {
        out.add(Hash.wrap(it.key()));
      }
      return out;
    });
  }

  private static Set<Hash> reachableFrom(ChainStore store, long fromHeight, long head) {
    Set<Hash> out = new HashSet<>();
    TreeNodeStore nodes = storedOnly(store);
    for (long h = fromHeight; h <= head; h++) {
      List<Hash> todo = new ArrayList<>(List.of(store.header(h).orElseThrow().stateRoot()));
      while (!todo.isEmpty()) {
        Hash node = todo.remove(todo.size() - 1);
        if (node.equals(SparseMerkleTree.EMPTY_ROOT) || !out.add(node)) {
          continue;
        }
        byte[] encoding = nodes.node(node).orElseThrow(() -> new AssertionError("missing node " + node)).toArray();
        if (encoding[0] == 0x01) {
          todo.add(Hash.wrap(java.util.Arrays.copyOfRange(encoding, 1, 33)));
          todo.add(Hash.wrap(java.util.Arrays.copyOfRange(encoding, 33, 65)));
        }
      }
    }
    return out;
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }
}
