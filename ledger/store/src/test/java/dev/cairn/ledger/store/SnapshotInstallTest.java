package dev.cairn.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.execution.ExecutedBlock;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.state.StateChunk;
import dev.cairn.ledger.store.fixtures.ChainFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store started from a snapshot: the state read chunk by chunk out of another store at height 8, installed
 * with block 8's header and certificate as the base, then blocks 9.. committed on top. It verifies (verify-chain
 * and the state check), survives a reopen, and ends at the source's state root.
 */
class SnapshotInstallTest {
  private static final int SNAPSHOT_HEIGHT = 8;
  @TempDir Path source;
  @TempDir Path joiner;

  @Test
  void aStoreStartedFromASnapshotVerifiesAndTakesTheNextBlocks() {
    ChainFixture fixture = ChainFixture.create(4, 300, 18);
    List<ExecutedBlock> blocks = new ArrayList<>();
    try (ChainStore from = ChainStore.open(source, StoreConfig.small())) {
      ExecutedBlock genesis = fixture.genesis();
      from.commit(genesis, fixture.certify(genesis));
      for (int i = 1; i <= 12; i++) {
        ExecutedBlock next = fixture.next(5);
        from.commit(next, fixture.certify(next));
        blocks.add(next);
      }
      BlockHeader base = from.header(SNAPSHOT_HEIGHT).orElseThrow();
      TreeMap<Hash, Bytes> state = new TreeMap<>();
      int prefixBits = 4;
      for (long i = 0; i < (1L << prefixBits); i++) {
        StateChunk chunk = StateChunk.of(from.nodes(), base.stateRoot(), StateChunk.prefixOf(i, prefixBits), prefixBits, 1 << 20);
        assertThat(chunk.verify(base.stateRoot()).isValid()).isTrue();
        chunk.leavesInPrefix().forEach(leaf -> state.put(leaf.key(), leaf.value()));
      }
      try (ChainStore to = ChainStore.open(joiner, StoreConfig.small())) {
        TreeMap<Hash, Bytes> altered = new TreeMap<>(state);
        altered.put(altered.firstKey(), Bytes.wrap(new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> to.installSnapshot(from.genesisHash().orElseThrow(), base,
            from.certificate(SNAPSHOT_HEIGHT).orElseThrow(), altered, fixture.validators()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("state root");
        assertThat(to.head()).isEmpty();

        to.installSnapshot(from.genesisHash().orElseThrow(), base, from.certificate(SNAPSHOT_HEIGHT).orElseThrow(), state,
            fixture.validators());
        assertThat(to.baseHeight()).isEqualTo(SNAPSHOT_HEIGHT);
        assertThat(to.engineStat(ChainStore.EngineStat.SST_FILES_BYTES))
            .as("the install is flushed to table files, so the node's reopen replays no WAL").isPositive();
        assertThat(to.blocks(3, 10, 1 << 20)).as("nothing below the base is served").isEmpty();
        assertThatThrownBy(() -> to.validatorSetChangeHeights(0, 10))
            .as("the set changes below the base are unknown here, not absent")
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("starts at height " + SNAPSHOT_HEIGHT);
        assertThat(to.validatorSetChangeHeights(SNAPSHOT_HEIGHT, 10)).as("the base's own entry is no change").isEmpty();
      }
      try (ChainStore to = ChainStore.open(joiner, StoreConfig.small())) {
        for (ExecutedBlock next : blocks.subList(SNAPSHOT_HEIGHT, blocks.size())) {
          to.commit(next, from.certificate(next.height()).orElseThrow());
        }
        assertThat(to.head().orElseThrow()).isEqualTo(from.head().orElseThrow());
        assertThat(new ChainVerifier(to).verify(ChainVerifier.Progress.NONE)).isInstanceOf(VerificationResult.Passed.class);
        assertThat(new ChainVerifier(to).verifyState()).isInstanceOf(VerificationResult.Passed.class);
        assertThat(to.header(SNAPSHOT_HEIGHT - 1)).isEmpty();
        assertThat(to.blocks(SNAPSHOT_HEIGHT + 1, 10, 1 << 20)).hasSize(12 - SNAPSHOT_HEIGHT);
      }
    }
  }
}
