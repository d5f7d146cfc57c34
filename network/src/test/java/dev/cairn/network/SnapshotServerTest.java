package dev.cairn.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.state.MemoryNodeStore;
import dev.cairn.ledger.state.SparseMerkleTree;
import dev.cairn.ledger.state.StateChanges;
import dev.cairn.ledger.state.StateChunk;
import dev.cairn.ledger.state.TreeUpdate;
import dev.cairn.network.ports.SnapshotSource;
import dev.cairn.p2p.reqresp.RequestRefusedException;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The serving side of the snapshot protocol: what it answers, and the reason it gives when it refuses. */
class SnapshotServerTest {
  private static final long INTERVAL = 10;
  private static final long HEAD = 25;

  private final MemoryNodeStore store = new MemoryNodeStore();
  private final Hash root;

  SnapshotServerTest() {
    Random random = new Random(7);
    TreeMap<Hash, Optional<Bytes>> writes = new TreeMap<>();
    for (int i = 0; i < 2_000; i++) {
      byte[] key = new byte[32];
      random.nextBytes(key);
      writes.put(Hash.wrap(key), Optional.of(Bytes.wrap(new byte[40])));
    }
    TreeUpdate update = new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT).apply(new StateChanges(writes));
    store.putAll(update);
    root = update.root();
  }

  /** The chain's side as LocalChain answers it: one state root for every height up to the head. */
  private StateChunk chunk(long height, Hash prefix, int prefixBits, int leafBytesMax) {
    if (height > HEAD) {
      throw new SnapshotSource.SnapshotUnavailableException("height " + height + " is above the head " + HEAD);
    }
    return StateChunk.of(store, root, prefix, prefixBits, leafBytesMax);
  }

  /** A node state-synced at height 10: it cannot tell which changes happened below its base. */
  private java.util.List<dev.cairn.network.ports.ValidatorSetChange> changes(long afterHeight, int countMax) {
    if (afterHeight < 10) {
      throw new SnapshotSource.SnapshotUnavailableException("this node's history starts at height 10");
    }
    return java.util.List.of();
  }

  private SnapshotServer server(int chunkBytesMax) {
    SnapshotSource source = new SnapshotSource() {
      @Override
      public StateChunk chunk(long height, Hash prefix, int prefixBits, int leafBytesMax) {
        return SnapshotServerTest.this.chunk(height, prefix, prefixBits, leafBytesMax);
      }

      @Override
      public java.util.List<dev.cairn.network.ports.ValidatorSetChange> validatorSetChanges(long afterHeight, int countMax) {
        return changes(afterHeight, countMax);
      }
    };
    return new SnapshotServer(null, new NetworkTopics("cairn-test"), source, INTERVAL, chunkBytesMax);
  }

  @Test
  void setChangesAreServedOrRefusedWithTheReason() {
    SnapshotServer server = server(1 << 20);
    byte[] none = server.serveSetChanges(ValidatorSetChangeCodec.encode(new ValidatorSetChangeCodec.Request(12, 16))).toByteArray();
    assertThat(ValidatorSetChangeCodec.decodeChanges(none)).isEqualTo(new SyncCodec.Decoding.Ok<>(java.util.List.of()));
    assertThatThrownBy(() -> server.serveSetChanges(ValidatorSetChangeCodec.encode(new ValidatorSetChangeCodec.Request(0, 16))))
        .isInstanceOf(RequestRefusedException.class).hasMessageStartingWith("set_changes_unavailable");
    assertThatThrownBy(() -> server.serveSetChanges(new byte[] {1, 2}))
        .isInstanceOf(RequestRefusedException.class).hasMessageStartingWith("set_changes_request_malformed");
  }

  @Test
  void aSnapshotHeightIsAnsweredWithAChunkThatVerifies() {
    byte[] response = server(1 << 20).serve(SnapshotCodec.encode(new SnapshotCodec.ChunkRequest(20, 3, 5))).toByteArray();
    StateChunk chunk = ((SyncCodec.Decoding.Ok<StateChunk>) SnapshotCodec.decodeChunk(response, 1 << 20)).value();
    assertThat(chunk.prefix()).isEqualTo(StateChunk.prefixOf(5, 3));
    assertThat(chunk.verify(root).isValid()).isTrue();
    assertThat(chunk.leavesInPrefix()).hasSizeGreaterThan(100);
  }

  @Test
  void refusalsNameTheirReason() {
    SnapshotServer server = server(1 << 20);
    assertThatThrownBy(() -> server.serve(SnapshotCodec.encode(new SnapshotCodec.ChunkRequest(15, 3, 0))))
        .isInstanceOf(RequestRefusedException.class).hasMessageStartingWith("not_snapshot_height");
    assertThatThrownBy(() -> server.serve(SnapshotCodec.encode(new SnapshotCodec.ChunkRequest(30, 3, 0))))
        .isInstanceOf(RequestRefusedException.class).hasMessageStartingWith("snapshot_unavailable");
    assertThatThrownBy(() -> server.serve(new byte[] {1, 2, 3}))
        .isInstanceOf(RequestRefusedException.class).hasMessageStartingWith("chunk_request_malformed");
    byte[] indexTooLarge = new dev.cairn.ledger.encoding.CanonicalWriter(13).u64(20).u8(3).u32(8).toByteArray();
    assertThatThrownBy(() -> server.serve(indexTooLarge))
        .isInstanceOf(RequestRefusedException.class).hasMessageStartingWith("chunk_request_malformed");
    assertThatThrownBy(() -> server(64 * 1024).serve(SnapshotCodec.encode(new SnapshotCodec.ChunkRequest(20, 0, 0))))
        .isInstanceOf(RequestRefusedException.class).hasMessageStartingWith("chunk_too_large");
  }

  @Test
  void aResponseOverTheJoinersLimitIsMalformedThere() {
    byte[] response = server(1 << 20).serve(SnapshotCodec.encode(new SnapshotCodec.ChunkRequest(20, 1, 0))).toByteArray();
    assertThat(SnapshotCodec.decodeChunk(response, response.length - 1)).isInstanceOf(SyncCodec.Decoding.Malformed.class);
  }
}
