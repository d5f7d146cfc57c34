package dev.cairn.network;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.state.StateChunk;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads the whole state at one snapshot height: the 2^prefixBits chunks of its tree, requested from several
 * peers in parallel, each checked against the state root of the height's trusted header before it counts. A peer
 * whose chunk does not verify is punished (the caller disconnects it) and never asked again in this download;
 * a peer that fails {@code failuresPerPeerMax} requests in a row (timeouts, refusals: it stopped serving) is
 * dropped too. The chunk goes back in the queue for another peer. Runs on the calling thread; the transport's
 * futures only enqueue their outcome.
 *
 * @param <P> how the transport names a peer
 */
public final class StateChunkDownload<P> {
  private static final Logger log = LoggerFactory.getLogger(StateChunkDownload.class);
  static final long PROGRESS_LOG_INTERVAL_MILLIS = 2_000;
  static final int FAILURES_PER_PEER_MAX = 3;
  static final long NO_PEER_WAIT_MILLIS = 200;

  /** The network as the download sees it. */
  public interface Transport<P> {
    /** Peers connected now that may serve chunks. */
    List<P> peers();

    /** One chunk request; the future completes with the decoded chunk or why there is none, never exceptionally. */
    CompletableFuture<Reply> fetch(P peer, SnapshotCodec.ChunkRequest request);

    /** {@code peer} served a chunk that does not verify: lower its score, disconnect it. */
    void punish(P peer, String reason);
  }

  /** What a peer answered. */
  public sealed interface Reply {
    record Chunk(StateChunk chunk) implements Reply {}

    record Failed(String reason) implements Reply {}
  }

  /** The state at the height and what it took. */
  public record Result(SortedMap<Hash, Bytes> state, int chunks, int rejectedChunks, int failedRequests, Set<String> punished) {}

  /** The download could not finish: no peer left that serves the snapshot, or the deadline passed. */
  public static final class FailedException extends RuntimeException {
    public FailedException(String message) {
      super(message);
    }
  }

  private record Outcome<P>(P peer, long index, Reply reply) {}

  private final Transport<P> transport;
  private final LongSupplier clockMillis;
  private final int requestsInFlightMax;
  private final long noPeerGraceMillis;

  /** @param noPeerGraceMillis how long the download waits, with nothing in flight, for a peer it may ask */
  public StateChunkDownload(Transport<P> transport, LongSupplier clockMillis, int requestsInFlightMax,
      long noPeerGraceMillis) {
    if (requestsInFlightMax < 1) {
      throw new IllegalArgumentException("requestsInFlightMax must be at least 1");
    }
    this.transport = transport;
    this.clockMillis = clockMillis;
    this.requestsInFlightMax = requestsInFlightMax;
    this.noPeerGraceMillis = noPeerGraceMillis;
  }

  /** Downloads every chunk of the state at {@code height}, whose header names {@code stateRoot}. */
  public Result run(long height, Hash stateRoot, int prefixBits, long deadlineMillis) throws InterruptedException {
    long total = 1L << prefixBits;
    ArrayDeque<Long> pending = new ArrayDeque<>();
    for (long i = 0; i < total; i++) {
      pending.add(i);
    }
    LinkedBlockingQueue<Outcome<P>> outcomes = new LinkedBlockingQueue<>();
    Map<P, Integer> failuresInARow = new HashMap<>();
    Set<P> dropped = new HashSet<>();
    Set<String> punished = new HashSet<>();
    TreeMap<Hash, Bytes> state = new TreeMap<>();
    int inFlight = 0;
    long done = 0;
    int rejected = 0;
    int failed = 0;
    long started = clockMillis.getAsLong();
    long lastLog = started;
    int nextPeer = 0;
    long noPeerSince = -1;
    while (done < total) {
      long now = clockMillis.getAsLong();
      if (now > deadlineMillis) {
        throw new FailedException("state sync of height " + height + " passed its deadline with " + done + "/" + total
            + " chunks");
      }
      List<P> peers = transport.peers().stream().filter(p -> !dropped.contains(p)).toList();
      while (inFlight < requestsInFlightMax && !pending.isEmpty() && !peers.isEmpty()) {
        P peer = peers.get(Math.floorMod(nextPeer++, peers.size()));
        long index = pending.poll();
        SnapshotCodec.ChunkRequest request = new SnapshotCodec.ChunkRequest(height, prefixBits, index);
        inFlight++;
        transport.fetch(peer, request)
            .exceptionally(e -> new Reply.Failed("transport_error: " + e))
            .thenAccept(reply -> outcomes.add(new Outcome<>(peer, index, reply)));
      }
      if (inFlight == 0 && peers.isEmpty()) {
        if (noPeerSince < 0) {
          noPeerSince = now;
        } else if (now - noPeerSince > noPeerGraceMillis) {
          throw new FailedException("no peer left that serves the snapshot at height " + height + " (" + done + "/"
              + total + " chunks) for " + noPeerGraceMillis + " ms; dropped: " + dropped.size() + ", punished: " + punished);
        }
      } else {
        noPeerSince = -1;
      }
      Outcome<P> outcome = outcomes.poll(NO_PEER_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      if (outcome == null) {
        continue;
      }
      inFlight--;
      switch (outcome.reply()) {
        case Reply.Chunk(StateChunk chunk) -> {
          Validation check = check(chunk, stateRoot, StateChunk.prefixOf(outcome.index(), prefixBits), prefixBits);
          if (check.isValid()) {
            failuresInARow.remove(outcome.peer());
            for (StateChunk.Leaf leaf : chunk.leavesInPrefix()) {
              state.put(leaf.key(), leaf.value());
            }
            done++;
          } else {
            rejected++;
            log.warn("event=state_sync_chunk_rejected peer={} height={} chunk={} reason=\"{}\"",
                outcome.peer(), height, outcome.index(), check);
            if (dropped.add(outcome.peer())) {
              punished.add(String.valueOf(outcome.peer()));
              transport.punish(outcome.peer(), "bad_state_chunk: " + check);
            }
            pending.add(outcome.index());
          }
        }
        case Reply.Failed(String reason) -> {
          failed++;
          int failures = failuresInARow.merge(outcome.peer(), 1, Integer::sum);
          log.info("event=state_sync_request_failed peer={} height={} chunk={} failures={} reason=\"{}\"",
              outcome.peer(), height, outcome.index(), failures, reason);
          if (failures >= FAILURES_PER_PEER_MAX) {
            dropped.add(outcome.peer());
          }
          pending.add(outcome.index());
        }
      }
      now = clockMillis.getAsLong();
      if (now - lastLog >= PROGRESS_LOG_INTERVAL_MILLIS || done == total) {
        lastLog = now;
        double seconds = Math.max(0.001, (now - started) / 1000.0);
        double rate = done / seconds;
        String eta = rate > 0 ? Long.toString(Math.round((total - done) / rate)) : "unknown";
        log.info("event=state_sync_progress height={} chunks={}/{} keys={} rate={} eta_s={} peers={}",
            height, done, total, state.size(), String.format("%.1f", rate), eta, peers.size());
      }
    }
    return new Result(state, (int) total, rejected, failed, punished);
  }

  /** The chunk is the one asked for and proves its leaves against the trusted root. */
  static Validation check(StateChunk chunk, Hash stateRoot, Hash prefix, int prefixBits) {
    if (chunk.prefixBits() != prefixBits || !chunk.prefix().equals(prefix)) {
      return Validation.invalid("chunk_not_requested", "the chunk is for another prefix");
    }
    return chunk.verify(stateRoot);
  }
}
