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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Peer scoring of the download, deterministic: the fake peers answer on the calling thread (a completed future,
 * or one that never completes), the clock is a counter, and the peers serve real chunks of real trees. A forged
 * root (chunks of another state), a peer that stops mid-transfer without answering, and a flaky peer each lose
 * score; the download re-fetches from the others; when every peer is bad it ends with a clear error.
 */
class StateChunkDownloadScoringTest {
  private static final int PREFIX_BITS = 4;
  private static final int CHUNK_BYTES_MAX = 1 << 20;
  private static final long HEIGHT = 40;
  private static final long TIMEOUT_MILLIS = 5_000;
  private static final int IN_FLIGHT = 4;

  private final MemoryNodeStore store = new MemoryNodeStore();
  private final TreeMap<Hash, Bytes> entries = new TreeMap<>();
  private final Hash root = tree(1, entries);
  private final Hash forgedRoot = tree(2, new TreeMap<>());
  /** Every read of the clock moves it 1 s: timeouts and grace periods pass in a bounded number of turns. */
  private final AtomicLong clock = new AtomicLong();

  private Hash tree(long seed, TreeMap<Hash, Bytes> into) {
    Random random = new Random(seed);
    TreeMap<Hash, Optional<Bytes>> writes = new TreeMap<>();
    for (int i = 0; i < 600; i++) {
      byte[] key = new byte[32];
      random.nextBytes(key);
      byte[] value = new byte[1 + random.nextInt(40)];
      random.nextBytes(value);
      into.put(Hash.wrap(key), Bytes.wrap(value));
      writes.put(Hash.wrap(key), Optional.of(Bytes.wrap(value)));
    }
    TreeUpdate update = new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT).apply(new StateChanges(writes));
    store.putAll(update);
    return update.root();
  }

  enum Behaviour { HONEST, FORGED_ROOT, SILENT_AFTER_TWO, REFUSES }

  private final class Peers implements StateChunkDownload.Transport<String> {
    final Map<String, Behaviour> behaviour;
    final Map<String, Integer> asked = new HashMap<>();
    final List<String> punished = new ArrayList<>();

    Peers(Map<String, Behaviour> behaviour) {
      this.behaviour = behaviour;
    }

    @Override
    public List<String> peers() {
      return behaviour.keySet().stream().sorted().toList();
    }

    @Override
    public CompletableFuture<StateChunkDownload.Reply> fetch(String peer, SnapshotCodec.ChunkRequest request) {
      int count = asked.merge(peer, 1, Integer::sum);
      return switch (behaviour.get(peer)) {
        case HONEST -> CompletableFuture.completedFuture(serve(root, request));
        case FORGED_ROOT -> CompletableFuture.completedFuture(serve(forgedRoot, request));
        case SILENT_AFTER_TWO -> count <= 2 ? CompletableFuture.completedFuture(serve(root, request)) : new CompletableFuture<>();
        case REFUSES -> CompletableFuture.completedFuture(new StateChunkDownload.Reply.Failed("snapshot_unavailable"));
      };
    }

    private StateChunkDownload.Reply serve(Hash stateRoot, SnapshotCodec.ChunkRequest request) {
      StateChunk chunk = StateChunk.of(store, stateRoot, request.prefix(), request.prefixBits(), CHUNK_BYTES_MAX);
      return switch (SnapshotCodec.decodeChunk(chunk.encode().toArray(), CHUNK_BYTES_MAX)) {
        case SyncCodec.Decoding.Ok<StateChunk> ok -> new StateChunkDownload.Reply.Chunk(ok.value());
        case SyncCodec.Decoding.Malformed<StateChunk> malformed -> new StateChunkDownload.Reply.Failed(malformed.reason());
      };
    }

    @Override
    public void punish(String peer, String reason) {
      punished.add(peer);
    }
  }

  private StateChunkDownload.Result download(Peers peers) throws InterruptedException {
    return new StateChunkDownload<>(peers, () -> clock.addAndGet(1_000), IN_FLIGHT, 2_000, TIMEOUT_MILLIS)
        .run(HEIGHT, root, PREFIX_BITS, 1_000_000);
  }

  @Test
  void scoresFallToTheThresholdAndCreditIsCapped() {
    PeerScores<String> scores = new PeerScores<>();
    for (int i = 0; i < 20; i++) {
      scores.add("good", PeerScores.GOOD_CHUNK);
    }
    assertThat(scores.score("good")).isEqualTo(PeerScores.CREDIT_MAX);
    assertThat(scores.add("liar", PeerScores.BAD_CHUNK)).isTrue();
    assertThat(scores.add("good", PeerScores.BAD_CHUNK)).isTrue();
    assertThat(scores.add("flaky", PeerScores.FAILED_REQUEST)).isFalse();
    assertThat(scores.add("flaky", PeerScores.FAILED_REQUEST)).isFalse();
    assertThat(scores.add("flaky", PeerScores.FAILED_REQUEST)).isFalse();
    assertThat(scores.add("flaky", PeerScores.FAILED_REQUEST)).isTrue();
    assertThat(scores.add("flaky", PeerScores.FAILED_REQUEST)).as("dropped once, not again").isFalse();
    assertThat(scores.droppedCount()).isEqualTo(3);
  }

  @Test
  void aForgedRootIsPunishedAndItsChunksComeFromTheHonestPeer() throws InterruptedException {
    Peers peers = new Peers(Map.of("forger", Behaviour.FORGED_ROOT, "honest", Behaviour.HONEST));
    StateChunkDownload.Result result = download(peers);
    assertThat(result.state()).isEqualTo(entries);
    assertThat(peers.punished).containsExactly("forger");
    assertThat(peers.asked.get("forger")).as("asked until its first chunk failed, then never").isLessThanOrEqualTo(2);
    assertThat(result.rejectedChunks()).isEqualTo(peers.asked.get("forger"));
  }

  @Test
  void aPeerThatStopsMidTransferTimesOutIsDroppedAndTheOthersFinish() throws InterruptedException {
    Peers peers = new Peers(Map.of("stops", Behaviour.SILENT_AFTER_TWO, "honest", Behaviour.HONEST));
    StateChunkDownload.Result result = download(peers);
    assertThat(result.state()).isEqualTo(entries);
    assertThat(peers.punished).isEmpty();
    // Two good chunks earn 10; from there five unanswered requests bring it to the threshold; requests already
    // in flight when it drops may time out too, and nothing is asked of it after.
    int failuresToDrop = (10 - PeerScores.DROP_AT) / -PeerScores.FAILED_REQUEST + 1;
    assertThat(result.failedRequests()).isBetween(failuresToDrop - 1, failuresToDrop + IN_FLIGHT);
    assertThat(peers.asked.get("stops")).isBetween(2 + failuresToDrop - 1, 2 + failuresToDrop + IN_FLIGHT);
  }

  @Test
  void everyPeerBadEndsWithAClearError() {
    Peers peers = new Peers(Map.of("forger", Behaviour.FORGED_ROOT, "stops", Behaviour.SILENT_AFTER_TWO,
        "refuses", Behaviour.REFUSES));
    assertThatThrownBy(() -> download(peers))
        .isInstanceOf(StateChunkDownload.FailedException.class)
        .hasMessageContaining("no peer left that serves the snapshot at height " + HEIGHT)
        .hasMessageContaining("dropped: 3")
        .hasMessageContaining("punished for bad chunks: [forger]");
    int refusalsToDrop = -PeerScores.DROP_AT / -PeerScores.FAILED_REQUEST;
    assertThat(peers.asked.get("refuses")).isBetween(refusalsToDrop, refusalsToDrop + IN_FLIGHT);
  }
}
