package dev.cairn.network;

import com.google.protobuf.ByteString;
import dev.cairn.ledger.state.MissingNodeException;
import dev.cairn.ledger.state.StateChunk;
import dev.cairn.network.ports.SnapshotSource;
import dev.cairn.network.ports.ValidatorSetChange;
import dev.cairn.p2p.reqresp.RequestRefusedException;
import dev.cairn.p2p.reqresp.RequestResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves chunks of the state at snapshot heights (multiples of {@code intervalHeights}) to joining peers, and the
 * validator-set changes they follow from genesis to trust a recent header ({@link ValidatorSetChangeCodec}). Chunks
 * are read on their own thread from immutable, content-addressed tree nodes, so serving takes no lock that block
 * production needs and never stalls it; pruning keeps the state of the latest snapshots (config check). A
 * refusal names its reason to the peer: {@code not_snapshot_height}, {@code snapshot_unavailable},
 * {@code chunk_too_large}, {@code set_changes_unavailable}, or the request's decoding error.
 */
public final class SnapshotServer implements AutoCloseable {
  private final RequestResponse requests;
  private final NetworkTopics topics;
  private final SnapshotSource source;
  private final long intervalHeights;
  private final int chunkBytesMax;
  private final ExecutorService serving = Executors.newFixedThreadPool(1, r -> {
    Thread t = new Thread(r, "snapshot-serve");
    t.setDaemon(true);
    return t;
  });

  public SnapshotServer(RequestResponse requests, NetworkTopics topics, SnapshotSource source, long intervalHeights,
      int chunkBytesMax) {
    this.requests = requests;
    this.topics = topics;
    this.source = source;
    this.intervalHeights = intervalHeights;
    this.chunkBytesMax = chunkBytesMax;
  }

  /** Registers the protocol handler; call before the host starts. */
  public void register() {
    requests.register(topics.snapshotProtocol(),
        (from, request) -> CompletableFuture.supplyAsync(() -> serve(request.toByteArray()), serving),
        SnapshotCodec.CHUNK_REQUEST_BYTES);
    requests.register(topics.validatorSetChangesProtocol(),
        (from, request) -> CompletableFuture.supplyAsync(() -> serveSetChanges(request.toByteArray()), serving),
        ValidatorSetChangeCodec.REQUEST_BYTES);
  }

  /**
   * The validator-set changes after the asked height, as many as fit {@link ValidatorSetChangeCodec#RESPONSE_BUDGET_BYTES}
   * (the first always whole): a joining node asks again from the last one it got.
   */
  ByteString serveSetChanges(byte[] request) {
    ValidatorSetChangeCodec.Request changesRequest = switch (ValidatorSetChangeCodec.decodeRequest(request)) {
      case SyncCodec.Decoding.Ok<ValidatorSetChangeCodec.Request> ok -> ok.value();
      case SyncCodec.Decoding.Malformed<ValidatorSetChangeCodec.Request> malformed ->
          throw new RequestRefusedException(malformed.reason());
    };
    try {
      List<ValidatorSetChange> changes = source.validatorSetChanges(changesRequest.afterHeight(), changesRequest.countMax());
      List<ValidatorSetChange> served = new ArrayList<>();
      for (ValidatorSetChange change : changes) {
        served.add(change);
        if (served.size() > 1 && ValidatorSetChangeCodec.encode(served).length > ValidatorSetChangeCodec.RESPONSE_BUDGET_BYTES) {
          served.remove(served.size() - 1);
          break;
        }
      }
      return ByteString.copyFrom(ValidatorSetChangeCodec.encode(served));
    } catch (SnapshotSource.SnapshotUnavailableException | MissingNodeException e) {
      throw new RequestRefusedException("set_changes_unavailable: " + e.getMessage());
    }
  }

  ByteString serve(byte[] request) {
    SnapshotCodec.ChunkRequest chunkRequest = switch (SnapshotCodec.decodeChunkRequest(request)) {
      case SyncCodec.Decoding.Ok<SnapshotCodec.ChunkRequest> ok -> ok.value();
      case SyncCodec.Decoding.Malformed<SnapshotCodec.ChunkRequest> malformed ->
          throw new RequestRefusedException(malformed.reason());
    };
    if (chunkRequest.height() % intervalHeights != 0) {
      throw new RequestRefusedException("not_snapshot_height: snapshots are every " + intervalHeights + " heights");
    }
    try {
      // Leaves get the limit less the framing: prefix, path of at most prefixBits siblings and counts.
      int leafBytesMax = chunkBytesMax - (16 + StateChunk.PREFIX_BITS_MAX * 33);
      StateChunk chunk = source.chunk(chunkRequest.height(), chunkRequest.prefix(), chunkRequest.prefixBits(), leafBytesMax);
      return ByteString.copyFrom(chunk.encode().unsafeArray());
    } catch (SnapshotSource.SnapshotUnavailableException | MissingNodeException e) {
      throw new RequestRefusedException("snapshot_unavailable: " + e.getMessage());
    } catch (StateChunk.ChunkTooLargeException e) {
      throw new RequestRefusedException("chunk_too_large: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    serving.shutdownNow();
  }
}
