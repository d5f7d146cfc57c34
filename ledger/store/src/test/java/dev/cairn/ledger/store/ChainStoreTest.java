package dev.cairn.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.execution.ExecutedBlock;
import dev.cairn.ledger.model.IncludedTransaction;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.store.fixtures.ChainFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainStoreTest {
  private static final StoreConfig CONFIG = StoreConfig.small();

  @TempDir Path dir;

  private static List<ExecutedBlock> commitChain(ChainStore store, ChainFixture fixture, int blocks, int txsPerBlock) {
    List<ExecutedBlock> committed = new ArrayList<>();
    ExecutedBlock genesis = fixture.genesis();
    store.commit(genesis, fixture.certify(genesis));
    committed.add(genesis);
    for (int i = 0; i < blocks; i++) {
      ExecutedBlock next = fixture.next(txsPerBlock);
      store.commit(next, fixture.certify(next));
      committed.add(next);
    }
    return committed;
  }

  @Test
  void reopenedStoreServesEverythingCommitted() {
    ChainFixture fixture = ChainFixture.create(4, 6, 1);
    List<ExecutedBlock> committed;
    try (ChainStore store = ChainStore.open(dir, CONFIG)) {
      committed = commitChain(store, fixture, 12, 5);
    }
    try (ChainStore store = ChainStore.open(dir, CONFIG)) {
      ExecutedBlock last = committed.get(committed.size() - 1);
      assertThat(store.head()).contains(new ChainHead(12, last.block().hash(), last.block().header().stateRoot()));
      assertThat(store.genesisHash()).contains(committed.get(0).block().hash());
      for (ExecutedBlock executed : committed) {
        Hash hash = executed.block().hash();
        long height = executed.height();
        assertThat(store.hashAt(height)).contains(hash);
        assertThat(store.header(height)).contains(executed.block().header());
        assertThat(store.block(hash)).contains(executed.block());
        assertThat(store.block(height)).contains(executed.block());
        assertThat(store.receipts(hash)).contains(executed.receipts());
        assertThat(store.receipts(height)).contains(executed.receipts());
        FinalizedBlock finalized = store.finalizedBlock(height).orElseThrow();
        assertThat(finalized.block()).isEqualTo(executed.block());
        assertThat(finalized.certificate()).isEqualTo(fixture.certify(executed));
        assertThat(store.certificate(hash)).contains(finalized.certificate());
        List<Transaction> txs = executed.block().transactions();
        for (int i = 0; i < txs.size(); i++) {
          IncludedTransaction included = store.transaction(txs.get(i).id()).orElseThrow();
          assertThat(included.transaction()).isEqualTo(txs.get(i));
          assertThat(included.receipt()).isEqualTo(executed.receipts().get(i));
          assertThat(included.blockHeight()).isEqualTo(height);
          assertThat(included.blockHash()).isEqualTo(hash);
          assertThat(included.index()).isEqualTo(i);
          assertThat(store.txLocation(txs.get(i).id())).contains(new TxLocation(height, hash, i));
        }
        assertThat(store.validatorsAt(height)).contains(fixture.validators());
      }
      assertThat(store.validatorsAt(13)).contains(fixture.validators());
      assertThat(store.validatorsAt(14)).isEmpty();
      assertThat(store.header(13)).isEmpty();
      assertThat(store.transaction(Hash.ZERO)).isEmpty();
      fixture.state().forEach((key, value) -> assertThat(store.state().get(key)).contains(value));
      Map<Hash, Bytes> nodes = last.treeUpdate().newNodes();
      nodes.forEach((hash, node) -> assertThat(store.nodes().node(hash)).contains(node));
      assertThat(new ChainVerifier(store).verify(ChainVerifier.Progress.NONE).passed()).isTrue();
    }
  }

  @Test
  void commitRefusesBlocksThatDoNotExtendTheHead() {
    ChainFixture fixture = ChainFixture.create(4, 4, 2);
    try (ChainStore store = ChainStore.open(dir, CONFIG)) {
      ExecutedBlock genesis = fixture.genesis();
      ExecutedBlock first = fixture.next(2);
      ExecutedBlock second = fixture.next(2);
      assertThatThrownBy(() -> store.commit(first, fixture.certify(first)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected genesis");
      assertThatThrownBy(() -> store.commit(genesis, fixture.certify(genesis.block().hash(), fixture.validators().validators())))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty certificate");
      store.commit(genesis, fixture.certify(genesis));
      assertThatThrownBy(() -> store.commit(second, fixture.certify(second)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not extend head");
      assertThatThrownBy(() -> store.commit(genesis, fixture.certify(genesis)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not extend head");
      assertThatThrownBy(() -> store.commit(first, fixture.certify(second)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("certificate is for");
      assertThatThrownBy(() -> store.commit(first, new CommitCertificate(first.block().hash(), List.of())))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-empty certificate");
      assertThat(store.head().orElseThrow().height()).isZero();
      assertThat(store.header(1)).isEmpty();
      store.commit(first, fixture.certify(first));
      store.commit(second, fixture.certify(second));
      assertThat(store.head().orElseThrow().hash()).isEqualTo(second.block().hash());
    }
  }

  @Test
  void commitRefusesABlockWithAnotherParentAtTheRightHeight() {
    ChainFixture fixture = ChainFixture.create(4, 4, 3);
    ChainFixture fork = ChainFixture.create(4, 4, 4);
    try (ChainStore store = ChainStore.open(dir, CONFIG)) {
      ExecutedBlock genesis = fixture.genesis();
      store.commit(genesis, fixture.certify(genesis));
      fork.genesis();
      ExecutedBlock forkFirst = fork.next(1);
      forkFirst = new ExecutedBlock(
          new dev.cairn.ledger.model.Block(withParent(forkFirst, Hash.ZERO), forkFirst.block().transactions()),
          forkFirst.receipts(), forkFirst.stateChanges(), forkFirst.treeUpdate(), forkFirst.nextValidators());
      ExecutedBlock orphan = forkFirst;
      assertThatThrownBy(() -> store.commit(orphan, fork.certify(orphan)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not the head");
      assertThat(store.head().orElseThrow().height()).isZero();
    }
  }

  private static dev.cairn.ledger.model.BlockHeader withParent(ExecutedBlock executed, Hash parent) {
    var h = executed.block().header();
    return new dev.cairn.ledger.model.BlockHeader(h.height(), parent, h.timestampMillis(), h.proposer(), h.round(),
        h.txRoot(), h.receiptsRoot(), h.stateRoot(), h.validatorSetHash());
  }

  @Test
  void flatStateReflectsWritesAndDeletes() {
    ChainFixture fixture = ChainFixture.create(1, 3, 5);
    Hash scratch = Hash.fromHex("11".repeat(32));
    Hash other = Hash.fromHex("22".repeat(32));
    try (ChainStore store = ChainStore.open(dir, CONFIG)) {
      commitChain(store, fixture, 0, 0);
      ExecutedBlock writes = fixture.next(1, Map.of(scratch, Optional.of(Bytes.fromHex("aa")), other,
          Optional.of(Bytes.fromHex("bb"))), Optional.empty());
      store.commit(writes, fixture.certify(writes));
      assertThat(store.state().get(scratch)).contains(Bytes.fromHex("aa"));
      ExecutedBlock deletes = fixture.next(1, Map.of(scratch, Optional.empty(), other,
          Optional.of(Bytes.fromHex("cc"))), Optional.empty());
      store.commit(deletes, fixture.certify(deletes));
      assertThat(store.state().get(scratch)).isEmpty();
      assertThat(store.state().get(other)).contains(Bytes.fromHex("cc"));
    }
    try (ChainStore store = ChainStore.open(dir, CONFIG)) {
      assertThat(store.state().get(scratch)).isEmpty();
      assertThat(store.state().get(other)).contains(Bytes.fromHex("cc"));
      java.util.TreeMap<Hash, Bytes> flat = new java.util.TreeMap<>();
      store.scanState(flat::put);
      assertThat(flat).isEqualTo(fixture.state());
      assertThat(new ChainVerifier(store).verifyState().passed()).isTrue();
    }
  }

  @Test
  void validatorSetChangeTakesEffectAtTheNextHeight() {
    ChainFixture fixture = ChainFixture.create(4, 3, 6).knowValidators(5);
    try (ChainStore store = ChainStore.open(dir, CONFIG)) {
      commitChain(store, fixture, 2, 1);
      ValidatorSet before = fixture.validators();
      ValidatorSet after = before.with(ChainFixture.validatorKey(4).publicKey());
      ExecutedBlock change = fixture.next(1, Map.of(), Optional.of(after));
      store.commit(change, fixture.certify(change));
      ExecutedBlock underNewSet = fixture.next(1);
      CommitCertificate oldSetOnly = fixture.certify(underNewSet.block().hash(), before.validators());
      store.commit(underNewSet, fixture.certify(underNewSet));
      assertThat(store.validatorsAt(3)).contains(before);
      assertThat(store.validatorsAt(4)).contains(after);
      assertThat(store.validatorsAt(5)).contains(after);
      assertThat(store.validatorsAt(0)).contains(before);
      assertThat(oldSetOnly.verify(underNewSet.block().hash(), after).isValid()).isFalse();
      assertThat(new ChainVerifier(store).verify(ChainVerifier.Progress.NONE).passed()).isTrue();
    }
  }

  @Test
  void validatorSetChangeHeightsAreWhereTheSetInForceChanged() {
    ChainFixture fixture = ChainFixture.create(4, 3, 8).knowValidators(5);
    try (ChainStore store = ChainStore.open(dir, CONFIG)) {
      commitChain(store, fixture, 2, 1);
      ValidatorSet joined = fixture.validators().with(ChainFixture.validatorKey(4).publicKey());
      ExecutedBlock third = fixture.next(1, Map.of(), Optional.of(joined));
      store.commit(third, fixture.certify(third));
      for (int i = 0; i < 2; i++) {
        ExecutedBlock next = fixture.next(1);
        store.commit(next, fixture.certify(next));
      }
      ValidatorSet left = joined.without(ChainFixture.validatorKey(0).publicKey());
      ExecutedBlock sixth = fixture.next(1, Map.of(), Optional.of(left));
      store.commit(sixth, fixture.certify(sixth));
      ExecutedBlock seventh = fixture.next(1);
      store.commit(seventh, fixture.certify(seventh));
      assertThat(store.validatorSetChangeHeights(0, 10)).containsExactly(4L, 7L);
      assertThat(store.validatorSetChangeHeights(0, 1)).containsExactly(4L);
      assertThat(store.validatorSetChangeHeights(4, 10)).containsExactly(7L);
      assertThat(store.validatorSetChangeHeights(5, 10)).containsExactly(7L);
      assertThat(store.validatorSetChangeHeights(7, 10)).isEmpty();
    }
  }

  @Test
  void blocksForSyncHonourCountAndByteLimits() {
    ChainFixture fixture = ChainFixture.create(4, 5, 7);
    try (ChainStore store = ChainStore.open(dir, CONFIG)) {
      List<ExecutedBlock> committed = commitChain(store, fixture, 9, 3);
      assertThat(store.blocks(2, 3, Long.MAX_VALUE)).extracting(FinalizedBlock::height).containsExactly(2L, 3L, 4L);
      assertThat(store.blocks(8, 100, Long.MAX_VALUE)).extracting(FinalizedBlock::height).containsExactly(8L, 9L);
      assertThat(store.blocks(10, 5, Long.MAX_VALUE)).isEmpty();
      assertThat(store.blocks(1, 100, 1)).extracting(FinalizedBlock::height).containsExactly(1L);
      long oneBlockBytes = dev.cairn.ledger.codec.LedgerCodec.encode(committed.get(1).block()).length;
      assertThat(store.blocks(1, 100, oneBlockBytes * 3).size()).isBetween(2, 3);
      assertThat(store.blocks(0, 1, Long.MAX_VALUE).get(0).block()).isEqualTo(committed.get(0).block());
    }
  }

  @Test
  void metadataSurvivesReopenAndStaysApartFromTheStoresOwnKeys() {
    try (ChainStore store = ChainStore.open(dir, CONFIG)) {
      store.putMeta("head", Bytes.fromHex("0102"));
      store.putMeta("consensus/lock", Bytes.fromHex("03"));
      store.putMeta("consensus/vote", Bytes.fromHex("04"));
      store.deleteMeta("consensus/vote");
      assertThat(store.head()).isEmpty();
    }
    try (ChainStore store = ChainStore.open(dir, CONFIG)) {
      assertThat(store.head()).isEmpty();
      assertThat(store.getMeta("head")).contains(Bytes.fromHex("0102"));
      assertThat(store.getMeta("consensus/lock")).contains(Bytes.fromHex("03"));
      assertThat(store.getMeta("consensus/vote")).isEmpty();
      assertThatThrownBy(() -> store.putMeta("", Bytes.EMPTY)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void nodesAreServedWithAndWithoutTheCache() {
    ChainFixture fixture = ChainFixture.create(1, 3, 8);
    List<ExecutedBlock> committed;
    try (ChainStore store = ChainStore.open(dir, CONFIG.withNodeCacheEntriesMax(16))) {
      committed = commitChain(store, fixture, 5, 1);
      for (ExecutedBlock executed : committed) {
        executed.treeUpdate().newNodes().forEach((hash, node) -> assertThat(store.nodes().node(hash)).contains(node));
      }
      assertThat(((StateNodeCache) store.nodes()).cachedEntries()).isLessThanOrEqualTo(16);
      assertThat(store.nodes().node(Hash.ZERO)).isEmpty();
    }
    try (ChainStore store = ChainStore.open(dir, CONFIG.withNodeCacheEntriesMax(0))) {
      committed.get(3).treeUpdate().newNodes().forEach((hash, node) -> assertThat(store.nodes().node(hash)).contains(node));
    }
  }

  @Test
  void undecodableStoredBytesAreAStorageErrorNamingFamilyAndKey() {
    ChainFixture fixture = ChainFixture.create(1, 3, 9);
    Hash hash;
    try (ChainStore store = ChainStore.open(dir, CONFIG)) {
      hash = commitChain(store, fixture, 2, 1).get(1).block().hash();
    }
    try (RocksStore raw = RocksStore.open(dir, CONFIG)) {
      raw.putSynced(ColumnFamily.CERTIFICATES, hash.unsafeArray(), new byte[] {5, 1, 0});
      raw.putSynced(ColumnFamily.BODIES, hash.unsafeArray(), new byte[] {9});
    }
    try (ChainStore store = ChainStore.open(dir, CONFIG)) {
      assertThatThrownBy(() -> store.certificate(1))
          .isInstanceOf(StorageException.class).hasMessageContaining("cf=certificates").hasMessageContaining(hash.toHex());
      assertThatThrownBy(() -> store.block(hash))
          .isInstanceOf(StorageException.class).hasMessageContaining("cf=bodies").hasMessageContaining(hash.toHex());
      assertThat(store.header(1)).isPresent();
    }
  }

  @Test
  void refusesAStoreOfAnotherSchemaVersion() {
    try (RocksStore raw = RocksStore.open(dir, CONFIG)) {
      raw.putSynced(ColumnFamily.METADATA, StoreCodec.META_SCHEMA_VERSION, StoreCodec.encodeSchemaVersion(99));
    }
    assertThatThrownBy(() -> ChainStore.open(dir, CONFIG))
        .isInstanceOf(StorageException.class).hasMessageContaining("schema version 99");
  }

  @Test
  void refusesToOpenWhenTheHeadPointerDisagreesWithTheHeightIndex() {
    ChainFixture fixture = ChainFixture.create(1, 2, 10);
    try (ChainStore store = ChainStore.open(dir, CONFIG)) {
      commitChain(store, fixture, 2, 1);
    }
    try (RocksStore raw = RocksStore.open(dir, CONFIG)) {
      raw.putSynced(ColumnFamily.HEIGHTS, StoreCodec.heightKey(3), Hash.ZERO.unsafeArray());
    }
    assertThatThrownBy(() -> ChainStore.open(dir, CONFIG))
        .isInstanceOf(StorageException.class).hasMessageContaining("above head 2");
  }

  @Test
  void closedStoreRefusesReads() {
    ChainStore store = ChainStore.open(dir, CONFIG);
    store.close();
    assertThatThrownBy(() -> store.header(0)).isInstanceOf(StorageException.class).hasMessageContaining("closed");
  }
}
