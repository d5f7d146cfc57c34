package dev.cairn.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.execution.ExecutedBlock;
import dev.cairn.ledger.store.fixtures.ChainFixture;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pruning's bounds and its settings over a store's life. The invariants are PruningProperties'. */
class PruningTest {
  @TempDir Path dir;

  private static Map<Hash, Optional<Bytes>> write(long height) {
    byte[] key = new byte[Hash.SIZE];
    key[0] = (byte) 0xEE;
    key[1] = (byte) (height % 5);
    return Map.of(Hash.wrap(key), Optional.of(Bytes.wrap(new byte[] {(byte) (height % 3)})));
  }

  private static void grow(ChainStore store, ChainFixture fixture, int blocks) {
    for (int i = 0; i < blocks; i++) {
      ExecutedBlock next = fixture.next(2, write(fixture.nextHeight()), Optional.empty());
      store.commit(next, fixture.certify(next));
    }
  }

  private static long count(ChainStore store, ColumnFamily family) {
    return store.rocks().iterate(family, it -> {
      long n = 0;
      for (it.seekToFirst(); it.isValid(); it.next()) {
        n++;
      }
      return n;
    });
  }

  @Test
  void aStepDeletesAtMostItsBatchBoundAndRecordsItsProgress() {
    ChainFixture fixture = ChainFixture.create(1, 4, 1);
    Retention retention = new Retention(0, 2, 5);
    try (ChainStore store = ChainStore.open(dir, StoreConfig.small().withRetention(retention))) {
      ExecutedBlock genesis = fixture.genesis();
      store.commit(genesis, fixture.certify(genesis));
      grow(store, fixture, 12);
      long before = count(store, ColumnFamily.STALE_NODES);
      ChainStore.PruneStep step = store.prune();
      assertThat(step.staleEntries()).isEqualTo(5);
      assertThat(step.moreWork()).isTrue();
      assertThat(count(store, ColumnFamily.STALE_NODES)).isEqualTo(before - 5);
      assertThat(store.bodiesRetainedFrom()).as("retain-blocks 0 keeps every body").isEqualTo(1);
      while (store.prune().moreWork()) {
        // to the end
      }
      assertThat(store.stateRetainedFrom()).isEqualTo(11);
    }
    try (ChainStore reopened = ChainStore.open(dir, StoreConfig.small().withRetention(retention))) {
      assertThat(reopened.stateRetainedFrom()).as("progress is persisted").isEqualTo(11);
      assertThat(reopened.prune()).isEqualTo(ChainStore.PruneStep.NOTHING);
    }
  }

  @Test
  void aToolThatOpensTheStoreWithoutTheNodesConfigLeavesStatePruningAlone() {
    ChainFixture fixture = ChainFixture.create(1, 4, 3);
    Retention retention = new Retention(0, 3, 10_000);
    long markers;
    try (ChainStore store = ChainStore.open(dir, StoreConfig.small().withRetention(retention))) {
      ExecutedBlock genesis = fixture.genesis();
      store.commit(genesis, fixture.certify(genesis));
      grow(store, fixture, 6);
      markers = count(store, ColumnFamily.STALE_MARKERS);
      assertThat(markers).isPositive();
    }
    // verify-chain, backup and export open the store this way, with default settings.
    try (ChainStore tool = ChainStore.openForVerification(dir, StoreConfig.small())) {
      assertThat(count(tool, ColumnFamily.STALE_MARKERS)).isEqualTo(markers);
      assertThat(new ChainVerifier(tool).verify(ChainVerifier.Progress.NONE).passed()).isTrue();
    }
    try (ChainStore node = ChainStore.open(dir, StoreConfig.small().withRetention(retention))) {
      assertThat(count(node, ColumnFamily.STALE_MARKERS)).isEqualTo(markers);
      while (node.prune().moreWork()) {
        // to the end
      }
      assertThat(node.stateRetainedFrom()).isEqualTo(4);
    }
  }

  @Test
  void turningStatePruningOffForgetsTheStaleSetsAndOnAgainStartsFromTheNextBlock() {
    ChainFixture fixture = ChainFixture.create(1, 4, 2);
    Retention retention = new Retention(3, 3, 10_000);
    try (ChainStore store = ChainStore.open(dir, StoreConfig.small().withRetention(retention))) {
      ExecutedBlock genesis = fixture.genesis();
      store.commit(genesis, fixture.certify(genesis));
      grow(store, fixture, 8);
      assertThat(count(store, ColumnFamily.STALE_MARKERS)).isPositive();
    }
    try (ChainStore keepAll = ChainStore.open(dir, StoreConfig.small())) {
      assertThat(count(keepAll, ColumnFamily.STALE_NODES)).isZero();
      assertThat(count(keepAll, ColumnFamily.STALE_MARKERS)).isZero();
      // Commits without pruning maintain no markers: a value set back here must survive pruning turned on later.
      grow(keepAll, fixture, 6);
      assertThat(new ChainVerifier(keepAll).verify(ChainVerifier.Progress.NONE).passed()).isTrue();
    }
    try (ChainStore again = ChainStore.open(dir, StoreConfig.small().withRetention(retention))) {
      grow(again, fixture, 8);
      while (again.prune().moreWork()) {
        // to the end
      }
      long head = again.head().orElseThrow().height();
      assertThat(again.stateRetainedFrom()).isEqualTo(head - 2);
      assertThat(again.bodiesRetainedFrom()).isEqualTo(head - 2);
      ChainVerifier verifier = new ChainVerifier(again);
      VerificationResult chain = verifier.verify(ChainVerifier.Progress.NONE);
      assertThat(chain.passed()).as(chain.toString()).isTrue();
      assertThat(verifier.verifyState().passed()).isTrue();
      for (long h = again.stateRetainedFrom(); h <= head; h++) {
        dev.cairn.ledger.state.SparseMerkleTree tree =
            new dev.cairn.ledger.state.SparseMerkleTree(again.nodes(), again.header(h).orElseThrow().stateRoot());
        for (int k = 0; k < 5; k++) {
          byte[] key = new byte[Hash.SIZE];
          key[0] = (byte) 0xEE;
          key[1] = (byte) k;
          tree.prove(Hash.wrap(key));
        }
      }
    }
  }
}
