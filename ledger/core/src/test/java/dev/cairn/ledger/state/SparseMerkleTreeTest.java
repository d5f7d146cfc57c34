package dev.cairn.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.model.Validation;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SparseMerkleTreeTest {
  private final MemoryNodeStore store = new MemoryNodeStore();

  static Hash key(String hex) {
    return Hash.fromHex(String.format("%-64s", hex).replace(' ', '0'));
  }

  static Bytes value(String text) {
    return Bytes.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private SparseMerkleTree commit(SparseMerkleTree tree, StateChanges changes) {
    TreeUpdate update = tree.apply(changes);
    store.putAll(update);
    return new SparseMerkleTree(store, update.root());
  }

  private static StateChanges put(Hash key, Bytes value) {
    TreeMap<Hash, Optional<Bytes>> writes = new TreeMap<>();
    writes.put(key, Optional.of(value));
    return new StateChanges(writes);
  }

  private static StateChanges delete(Hash key) {
    TreeMap<Hash, Optional<Bytes>> writes = new TreeMap<>();
    writes.put(key, Optional.empty());
    return new StateChanges(writes);
  }

  @Test
  void emptyTreeHasTheEmptyRootAndProvesAbsence() {
    SparseMerkleTree tree = new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT);
    Hash k = key("ab");

    assertThat(SparseMerkleTree.EMPTY_ROOT).isEqualTo(Hash.ZERO);
    assertThat(tree.get(k)).isEmpty();
    StateProof proof = tree.prove(k);
    assertThat(proof.depth()).isZero();
    assertThat(proof.end()).isInstanceOf(StateProof.EmptySlot.class);
    assertThat(StateProof.verify(tree.root(), k, Optional.empty(), proof).isValid()).isTrue();
    assertThat(StateProof.verify(tree.root(), k, Optional.of(value("x")), proof))
        .isEqualTo(Validation.invalid("key_absent", "the proof ends at an empty slot on the key's path"));
    assertThat(tree.apply(StateChanges.NONE).root()).isEqualTo(SparseMerkleTree.EMPTY_ROOT);
    assertThat(tree.apply(delete(k)).root()).isEqualTo(SparseMerkleTree.EMPTY_ROOT);
  }

  @Test
  void singleKeyIsOneLeafAtTheRoot() {
    Hash k = key("80");
    SparseMerkleTree tree = commit(new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT), put(k, value("one")));

    assertThat(tree.root()).isEqualTo(ReferenceTree.leafHash(k, value("one")));
    assertThat(store.size()).isEqualTo(1);
    assertThat(tree.get(k)).contains(value("one"));
    assertThat(tree.get(key("81"))).isEmpty();
    StateProof present = tree.prove(k);
    assertThat(present.depth()).isZero();
    assertThat(StateProof.verify(tree.root(), k, Optional.of(value("one")), present).isValid()).isTrue();
    StateProof absent = tree.prove(key("81"));
    assertThat(absent.end()).isEqualTo(present.end());
    assertThat(StateProof.verify(tree.root(), key("81"), Optional.empty(), absent).isValid()).isTrue();
  }

  @Test
  void twoKeysSharingALongPrefixHangBelowAChainOfInnerNodes() {
    // Identical in the first 251 bits, differing at bit 251.
    Hash a = key("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0");
    Hash b = key("fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff0");
    SparseMerkleTree tree = new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT);
    SparseMerkleTree one = commit(tree, put(a, value("a")));
    SparseMerkleTree two = commit(one, put(b, value("b")));

    assertThat(two.root()).isNotEqualTo(one.root());
    assertThat(two.get(a)).contains(value("a"));
    assertThat(two.get(b)).contains(value("b"));
    StateProof proofA = two.prove(a);
    assertThat(proofA.depth()).isEqualTo(252);
    assertThat(proofA.siblings().stream().filter(h -> !h.equals(Hash.ZERO)).count()).isEqualTo(1);
    assertThat(proofA.encode().size()).isLessThan(1 + 2 + 32 + 32 + 1 + 64 + 1);
    assertThat(StateProof.verify(two.root(), a, Optional.of(value("a")), proofA).isValid()).isTrue();
    assertThat(StateProof.verify(two.root(), b, Optional.of(value("b")), two.prove(b)).isValid()).isTrue();
    // A third key on the shared path but splitting off at bit 3 is proven absent by an empty slot.
    Hash c = key("ef");
    StateProof absent = two.prove(c);
    assertThat(absent.end()).isInstanceOf(StateProof.EmptySlot.class);
    assertThat(StateProof.verify(two.root(), c, Optional.empty(), absent).isValid()).isTrue();

    SparseMerkleTree back = commit(two, delete(b));
    assertThat(back.root()).isEqualTo(one.root());
    assertThat(back.prove(a).depth()).isZero();
  }

  @Test
  void deletingDownToEmptyReturnsTheEmptyRoot() {
    Hash[] keys = {key("00"), key("01"), key("80"), key("c0"), key("c1")};
    SparseMerkleTree tree = new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT);
    Hash[] roots = new Hash[keys.length + 1];
    roots[0] = tree.root();
    for (int i = 0; i < keys.length; i++) {
      tree = commit(tree, put(keys[i], value("v" + i)));
      roots[i + 1] = tree.root();
    }
    for (int i = keys.length - 1; i >= 0; i--) {
      tree = commit(tree, delete(keys[i]));
      assertThat(tree.root()).isEqualTo(roots[i]);
    }
    assertThat(tree.root()).isEqualTo(SparseMerkleTree.EMPTY_ROOT);
  }

  @Test
  void applyWritesNothingToTheStore() {
    SparseMerkleTree tree = commit(new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT), put(key("10"), value("x")));
    int before = store.size();

    TreeUpdate update = tree.apply(put(key("90"), value("y")));

    assertThat(store.size()).isEqualTo(before);
    assertThat(update.newNodes()).hasSize(2);
    assertThat(new SparseMerkleTree(store, update.root()).root()).isEqualTo(update.root());
  }

  @Test
  void rewritingTheSameValueKeepsTheRoot() {
    SparseMerkleTree tree = commit(new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT), put(key("10"), value("x")));
    tree = commit(tree, put(key("90"), value("y")));

    assertThat(tree.apply(put(key("90"), value("y"))).root()).isEqualTo(tree.root());
    assertThat(tree.apply(delete(key("91"))).root()).isEqualTo(tree.root());
  }

  @Test
  void aMissingNodeNamesItsHash() {
    Hash unknownRoot = key("1234");
    SparseMerkleTree tree = new SparseMerkleTree(store, unknownRoot);

    assertThatThrownBy(() -> tree.get(key("00")))
        .isInstanceOf(MissingNodeException.class)
        .hasMessageContaining(unknownRoot.toHex())
        .satisfies(e -> assertThat(((MissingNodeException) e).nodeHash()).isEqualTo(unknownRoot));
    assertThatThrownBy(() -> tree.apply(put(key("00"), value("x")))).isInstanceOf(MissingNodeException.class);
    assertThatThrownBy(() -> tree.prove(key("00"))).isInstanceOf(MissingNodeException.class);
  }

  @Test
  void anOversizedValueIsRefused() {
    SparseMerkleTree tree = new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT);
    Bytes big = Bytes.wrap(new byte[SparseMerkleTree.VALUE_BYTES_MAX + 1]);

    assertThatThrownBy(() -> tree.apply(put(key("00"), big))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEmptyValueIsAValueNotADeletion() {
    SparseMerkleTree tree = commit(new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT), put(key("00"), Bytes.EMPTY));

    assertThat(tree.root()).isNotEqualTo(SparseMerkleTree.EMPTY_ROOT);
    assertThat(tree.get(key("00"))).contains(Bytes.EMPTY);
  }

  @Test
  void changesInAReverseSortedMapGiveTheSameRoot() {
    TreeMap<Hash, Optional<Bytes>> natural = new TreeMap<>();
    TreeMap<Hash, Optional<Bytes>> reversed = new TreeMap<>(java.util.Comparator.reverseOrder());
    for (String k : new String[] {"00", "40", "80", "c0", "c1"}) {
      natural.put(key(k), Optional.of(value(k)));
      reversed.put(key(k), Optional.of(value(k)));
    }
    SparseMerkleTree tree = new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT);

    assertThat(tree.apply(new StateChanges(reversed)).root()).isEqualTo(tree.apply(new StateChanges(natural)).root());
  }

  @Test
  void anUncommittedUpdateIsReadableThroughAnOverlay() {
    SparseMerkleTree tree = commit(new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT), put(key("10"), value("x")));
    TreeUpdate pending = tree.apply(put(key("90"), value("y")));
    SparseMerkleTree next = new SparseMerkleTree(new OverlayNodeStore(store, pending), pending.root());

    assertThat(next.get(key("10"))).contains(value("x"));
    assertThat(next.get(key("90"))).contains(value("y"));
    TreeUpdate after = next.apply(delete(key("90")));
    assertThat(after.root()).isEqualTo(tree.root());
    assertThatThrownBy(() -> new SparseMerkleTree(store, pending.root()).get(key("90")))
        .isInstanceOf(MissingNodeException.class);
  }
}
