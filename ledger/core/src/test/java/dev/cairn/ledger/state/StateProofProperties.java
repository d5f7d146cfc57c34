package dev.cairn.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.model.Validation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Proofs verify for what the tree holds and for nothing else. */
class StateProofProperties {

  /** A tree built from a random history, plus the model it must agree with. */
  private record Built(Scenario scenario, SparseMerkleTree tree, TreeMap<Hash, Bytes> model) {
    Optional<Bytes> truth(Hash key) {
      return Optional.ofNullable(model.get(key));
    }
  }

  private static Built build(long seed, int keyCount, int writeCount) {
    Scenario scenario = new Scenario(seed, keyCount);
    MemoryNodeStore store = new MemoryNodeStore();
    ReferenceTree model = new ReferenceTree();
    var writes = scenario.writes(writeCount);
    writes.forEach(w -> {
      if (w.getValue().isPresent()) {
        model.put(w.getKey(), w.getValue().get());
      } else {
        model.delete(w.getKey());
      }
    });
    SparseMerkleTree tree =
        Scenario.applyAll(new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT), store, scenario.batches(writes));
    return new Built(scenario, tree, model.entries);
  }

  @Property(tries = 200)
  void proofsVerifyForPresentAndAbsentKeys(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int keyCount, @ForAll @IntRange(min = 0, max = 100) int writeCount) {
    Built built = build(seed, keyCount, writeCount);
    List<Hash> keys = new ArrayList<>(built.scenario().keys);
    keys.add(new Scenario(seed + 1, 1).anyKey());
    for (Hash key : keys) {
      StateProof proof = built.tree().prove(key);
      assertThat(StateProof.verify(built.tree().root(), key, built.truth(key), proof)).isEqualTo(Validation.VALID);
      assertThat(StateProof.decode(proof.encode())).isEqualTo(proof);
    }
  }

  @Property(tries = 200)
  void tamperedProofsFail(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int keyCount, @ForAll @IntRange(min = 1, max = 100) int writeCount) {
    Built built = build(seed, keyCount, writeCount);
    Hash root = built.tree().root();
    Scenario scenario = built.scenario();
    for (Hash key : scenario.shuffled(scenario.keys).subList(0, Math.min(8, scenario.keys.size()))) {
      Optional<Bytes> truth = built.truth(key);
      StateProof proof = built.tree().prove(key);
      // Any byte of any sibling, empty or not: the top, the bottom and a random sample of the levels between.
      List<Integer> levels = new ArrayList<>();
      if (proof.depth() > 0) {
        levels.addAll(List.of(0, proof.depth() - 1));
        for (int i = 0; i < 6; i++) {
          levels.add(scenario.random.nextInt(proof.depth()));
        }
      }
      for (int level : levels) {
        List<Hash> siblings = new ArrayList<>(proof.siblings());
        byte[] flipped = siblings.get(level).toArray();
        flipped[scenario.random.nextInt(Hash.SIZE)] ^= (byte) (1 << scenario.random.nextInt(8));
        siblings.set(level, Hash.wrap(flipped));
        assertRejected(root, key, truth, new StateProof(siblings, proof.end()));
      }
      // Another value, or absence claimed for a present key, or presence for an absent one.
      Bytes other = Bytes.wrap(new byte[] {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7});
      assertRejected(root, key, Optional.of(other), proof);
      assertRejected(root, key, truth.isPresent() ? Optional.empty() : Optional.of(scenario.anyValue()), proof);
      // Another root.
      byte[] otherRoot = root.toArray();
      otherRoot[scenario.random.nextInt(Hash.SIZE)] ^= 1;
      assertRejected(Hash.wrap(otherRoot), key, truth, proof);
      // Other keys with the same claim: a value claim must fail; an absence claim may only pass when true.
      for (int i = 0; i < 4; i++) {
        Hash otherKey = scenario.anyKey();
        if (otherKey.equals(key)) {
          continue;
        }
        boolean accepted = StateProof.verify(root, otherKey, truth, proof).isValid();
        if (truth.isPresent()) {
          assertThat(accepted).as("proof of %s accepted for %s", key, otherKey).isFalse();
        } else if (accepted) {
          assertThat(built.truth(otherKey)).isEmpty();
        }
      }
    }
  }

  @Property(tries = 100)
  void aProofNeverConfirmsAFalseClaim(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 30) int keyCount, @ForAll @IntRange(min = 0, max = 80) int writeCount) {
    Built built = build(seed, keyCount, writeCount);
    Scenario scenario = built.scenario();
    List<StateProof> proofs = new ArrayList<>();
    scenario.keys.forEach(k -> proofs.add(built.tree().prove(k)));
    for (StateProof proof : proofs) {
      for (Hash key : scenario.keys) {
        List<Optional<Bytes>> claims = new ArrayList<>(List.of(Optional.empty(), Optional.of(scenario.anyValue())));
        built.model().values().forEach(v -> claims.add(Optional.of(v)));
        for (Optional<Bytes> claim : claims) {
          if (StateProof.verify(built.tree().root(), key, claim, proof).isValid()) {
            assertThat(claim).isEqualTo(built.truth(key));
          }
        }
      }
    }
  }

  @Property(tries = 300)
  void encodingRoundTripsAndRejectsTruncatedOrExtendedBytes(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int keyCount, @ForAll @IntRange(min = 0, max = 100) int writeCount) {
    Built built = build(seed, keyCount, writeCount);
    Hash key = built.scenario().anyKey();
    StateProof proof = built.tree().prove(key);
    byte[] encoded = proof.encode().toArray();

    assertThat(StateProof.decode(Bytes.wrap(encoded))).isEqualTo(proof);
    for (int length = 0; length < encoded.length; length++) {
      byte[] truncated = java.util.Arrays.copyOf(encoded, length);
      assertThat(StateProofCodecTest.decodeFailure(truncated)).as("truncated to %d bytes", length).isNotNull();
    }
    byte[] extended = java.util.Arrays.copyOf(encoded, encoded.length + 1);
    assertThat(StateProofCodecTest.decodeFailure(extended)).isNotNull();
  }

  @Property(tries = 300)
  void aMutatedEncodingIsRejectedOrFailsVerification(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int keyCount, @ForAll @IntRange(min = 0, max = 100) int writeCount,
      @ForAll @IntRange(min = 0, max = 10_000) int position, @ForAll @IntRange(min = 1, max = 255) int xor) {
    Built built = build(seed, keyCount, writeCount);
    Hash key = built.scenario().anyKey();
    byte[] encoded = built.tree().prove(key).encode().toArray();
    encoded[position % encoded.length] ^= (byte) xor;

    if (StateProofCodecTest.decodeFailure(encoded) == null) {
      StateProof mutated = StateProof.decode(Bytes.wrap(encoded));
      assertThat(mutated.encode().toArray()).isEqualTo(encoded);
      assertThat(StateProof.verify(built.tree().root(), key, built.truth(key), mutated).isValid()).isFalse();
    }
  }

  private static void assertRejected(Hash root, Hash key, Optional<Bytes> claim, StateProof proof) {
    assertThat(StateProof.verify(root, key, claim, proof)).isInstanceOf(Validation.Invalid.class);
  }
}
