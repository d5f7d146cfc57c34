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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The download against in-memory peers that serve real chunks of a real 5,000-key tree, through the protocol's
 * codec: honest peers, a Byzantine peer that alters values or withholds leaves, and a peer that stops answering
 * mid-transfer. The joiner must end with exactly the served state, punishing only the liar.
 */
class StateChunkDownloadTest {
  private static final int KEYS = 5_000;
  private static final int PREFIX_BITS = 6;
  private static final int CHUNK_BYTES_MAX = 1 << 20;
  private static final long HEIGHT = 100;

  private final MemoryNodeStore store = new MemoryNodeStore();
  private final TreeMap<Hash, Bytes> entries = new TreeMap<>();
  private final Hash root;
  private final Executor network = Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "test-peer");
    t.setDaemon(true);
    return t;
  });

  StateChunkDownloadTest() {
    Random random = new Random(18);
    TreeMap<Hash, Optional<Bytes>> writes = new TreeMap<>();
    for (int i = 0; i < KEYS; i++) {
      byte[] key = new byte[32];
      random.nextBytes(key);
      byte[] value = new byte[1 + random.nextInt(80)];
      random.nextBytes(value);
      entries.put(Hash.wrap(key), Bytes.wrap(value));
      writes.put(Hash.wrap(key), Optional.of(Bytes.wrap(value)));
    }
    TreeUpdate update = new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT).apply(new StateChanges(writes));
    store.putAll(update);
    root = update.root();
  }

  enum Behaviour { HONEST, LIAR, STOPS_AFTER_FIVE }

  /** Serves chunks as SnapshotServer does (encode, then the joiner decodes), misbehaving as told. */
  private final class Peers implements StateChunkDownload.Transport<String> {
    final Map<String, Behaviour> behaviour;
    final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
    final List<String> punished = new CopyOnWriteArrayList<>();

    Peers(Map<String, Behaviour> behaviour) {
      this.behaviour = behaviour;
    }

    @Override
    public List<String> peers() {
      return behaviour.keySet().stream().filter(p -> !punished.contains(p)).sorted().toList();
    }

    @Override
    public CompletableFuture<StateChunkDownload.Reply> fetch(String peer, SnapshotCodec.ChunkRequest request) {
      byte[] wire = SnapshotCodec.encode(request);
      return CompletableFuture.supplyAsync(() -> {
        SnapshotCodec.ChunkRequest decoded = ((SyncCodec.Decoding.Ok<SnapshotCodec.ChunkRequest>) SnapshotCodec.decodeChunkRequest(wire)).value();
        int count = served.computeIfAbsent(peer, p -> new AtomicInteger()).incrementAndGet();
        if (behaviour.get(peer) == Behaviour.STOPS_AFTER_FIVE && count > 5) {
          sleep(50);
          return new StateChunkDownload.Reply.Failed("TIMEOUT: no response");
        }
        StateChunk chunk = StateChunk.of(store, root, decoded.prefix(), decoded.prefixBits(), CHUNK_BYTES_MAX);
        if (behaviour.get(peer) == Behaviour.LIAR) {
          chunk = corrupt(chunk, count);
        }
        byte[] response = chunk.encode().toArray();
        return switch (SnapshotCodec.decodeChunk(response, CHUNK_BYTES_MAX)) {
          case SyncCodec.Decoding.Ok<StateChunk> ok -> new StateChunkDownload.Reply.Chunk(ok.value());
          case SyncCodec.Decoding.Malformed<StateChunk> malformed -> new StateChunkDownload.Reply.Failed(malformed.reason());
        };
      }, network);
    }

    @Override
    public void punish(String peer, String reason) {
      punished.add(peer);
    }
  }

  private static StateChunk corrupt(StateChunk chunk, int count) {
    List<StateChunk.Leaf> leaves = new ArrayList<>(chunk.leaves());
    if (leaves.isEmpty()) {
      return new StateChunk(chunk.prefix(), chunk.prefixBits(), chunk.siblings(),
          List.of(new StateChunk.Leaf(chunk.prefix(), Bytes.wrap(new byte[] {1}))));
    }
    if (count % 2 == 0) {
      leaves.remove(leaves.size() / 2);
    } else {
      StateChunk.Leaf first = leaves.get(0);
      byte[] value = first.value().toArray();
      value[0] ^= 0x40;
      leaves.set(0, new StateChunk.Leaf(first.key(), Bytes.wrap(value)));
    }
    return new StateChunk(chunk.prefix(), chunk.prefixBits(), chunk.siblings(), leaves);
  }

  private StateChunkDownload.Result download(Peers peers) throws InterruptedException {
    return new StateChunkDownload<>(peers, System::currentTimeMillis, 8, 1_000, 10_000)
        .run(HEIGHT, root, PREFIX_BITS, System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(60));
  }

  @Test
  void honestPeersGiveTheWholeState() throws InterruptedException {
    Peers peers = new Peers(Map.of("a", Behaviour.HONEST, "b", Behaviour.HONEST, "c", Behaviour.HONEST));
    StateChunkDownload.Result result = download(peers);
    assertThat(result.state()).isEqualTo(entries);
    assertThat(result.chunks()).isEqualTo(1 << PREFIX_BITS);
    assertThat(result.rejectedChunks()).isZero();
    assertThat(peers.served.keySet()).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void aLiarIsPunishedAndItsChunksComeFromHonestPeers() throws InterruptedException {
    Peers peers = new Peers(Map.of("honest-1", Behaviour.HONEST, "liar", Behaviour.LIAR, "honest-2", Behaviour.HONEST));
    StateChunkDownload.Result result = download(peers);
    assertThat(result.state()).isEqualTo(entries);
    assertThat(result.rejectedChunks()).isPositive();
    assertThat(peers.punished).containsExactly("liar");
    assertThat(result.punished()).isEqualTo(Set.of("liar"));
  }

  @Test
  void aPeerThatStopsMidTransferIsDroppedAndTheOthersFinish() throws InterruptedException {
    Peers peers = new Peers(Map.of("quits", Behaviour.STOPS_AFTER_FIVE, "stays", Behaviour.HONEST));
    StateChunkDownload.Result result = download(peers);
    assertThat(result.state()).isEqualTo(entries);
    // Five good chunks earn the full credit; from there it takes this many failures to reach the threshold.
    int failuresToDrop = (PeerScores.CREDIT_MAX - PeerScores.DROP_AT) / -PeerScores.FAILED_REQUEST;
    assertThat(result.failedRequests()).isGreaterThanOrEqualTo(failuresToDrop);
    assertThat(peers.served.get("quits").get()).isLessThan(5 + 2 * failuresToDrop + 8);
    assertThat(peers.punished).isEmpty();
  }

  @Test
  void onlyLiarsLeftFailsWithAReason() {
    Peers peers = new Peers(Map.of("liar", Behaviour.LIAR));
    assertThatThrownBy(() -> download(peers))
        .isInstanceOf(StateChunkDownload.FailedException.class)
        .hasMessageContaining("no peer left");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
