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
 * peers in parallel, each checked against the state root of the height's trusted header before it counts. Each
 * peer has a score ({@link PeerScores}): a chunk that does not verify drops it at once and it is punished (the
 * caller disconnects it); timeouts, refusals and unanswered requests (a peer that stopped mid-transfer) lower
 * it until it falls to the threshold and is not asked again in this download; verified chunks earn a little
 * back. A failed chunk goes back in the queue for another peer. Runs on the calling thread; the transport's
 * futures only enqueue their outcome.
 *
 * @param <P> how the transport names a peer
 */
public final class StateChunkDownload<P> {
  private static final Logger log = LoggerFactory.getLogger(StateChunkDownload.class);
  static final long PROGRESS_LOG_INTERVAL_MILLIS = 2_000;
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

  private record Outcome<P>(long token, Reply reply) {}

  private record InFlight<P>(P peer, long index, long sentAtMillis) {}

  private final Transport<P> transport;
  private final LongSupplier clockMillis;
  private final int requestsInFlightMax;
  private final long noPeerGraceMillis;
  private final long requestTimeoutMillis;

  /**
   * @param noPeerGraceMillis how long the download waits, with nothing in flight, for a peer it may ask
   * @param requestTimeoutMillis how long a request may stay unanswered before it counts as failed and its chunk
   *     goes to another peer (the transport's own timeout normally answers first)
   */
  public StateChunkDownload(Transport<P> transport, LongSupplier clockMillis, int requestsInFlightMax,
      long noPeerGraceMillis, long requestTimeoutMillis) {
    if (requestsInFlightMax < 1) {
      throw new IllegalArgumentException("requestsInFlightMax must be at least 1");
    }
    this.transport = transport;
    this.clockMillis = clockMillis;
    this.requestsInFlightMax = requestsInFlightMax;
    this.noPeerGraceMillis = noPeerGraceMillis;
    this.requestTimeoutMillis = requestTimeoutMillis;
  }

  /** Downloads every chunk of the state at {@code height}, whose header names {@code stateRoot}. */
  public Result run(long height, Hash stateRoot, int prefixBits, long deadlineMillis) throws InterruptedException {
    long total = 1L << prefixBits;
    ArrayDeque<Long> pending = new ArrayDeque<>();
    for (long i = 0; i < total; i++) {
      pending.add(i);
    }
    LinkedBlockingQueue<Outcome<P>> outcomes = new LinkedBlockingQueue<>();
    Map<Long, InFlight<P>> inFlight = new HashMap<>();
    PeerScores<P> scores = new PeerScores<>();
    Set<String> punished = new HashSet<>();
    TreeMap<Hash, Bytes> state = new TreeMap<>();
    long done = 0;
    int rejected = 0;
    int failed = 0;
    long nextToken = 0;
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
      // A peer that stopped mid-transfer may never answer: its request counts as failed and its chunk goes back.
      for (var it = inFlight.entrySet().iterator(); it.hasNext(); ) {
        InFlight<P> request = it.next().getValue();
        if (now - request.sentAtMillis() > requestTimeoutMillis) {
          it.remove();
          failed++;
          penalize(scores, request.peer(), PeerScores.FAILED_REQUEST, height, request.index(), "no answer within "
              + requestTimeoutMillis + " ms");
          pending.add(request.index());
        }
      }
      List<P> peers = transport.peers().stream().filter(p -> !scores.dropped(p)).toList();
      while (inFlight.size() < requestsInFlightMax && !pending.isEmpty() && !peers.isEmpty()) {
        P peer = peers.get(Math.floorMod(nextPeer++, peers.size()));
        long index = pending.poll();
        long token = nextToken++;
        inFlight.put(token, new InFlight<>(peer, index, now));
        transport.fetch(peer, new SnapshotCodec.ChunkRequest(height, prefixBits, index))
            .exceptionally(e -> new Reply.Failed("transport_error: " + e))
            .thenAccept(reply -> outcomes.add(new Outcome<>(token, reply)));
      }
      if (inFlight.isEmpty() && peers.isEmpty()) {
        if (noPeerSince < 0) {
          noPeerSince = now;
        } else if (now - noPeerSince > noPeerGraceMillis) {
          throw new FailedException("no peer left that serves the snapshot at height " + height + " (" + done + "/"
              + total + " chunks) for " + noPeerGraceMillis + " ms; dropped: " + scores.droppedCount()
              + " (score at or below " + PeerScores.DROP_AT + "), punished for bad chunks: " + punished);
        }
      } else {
        noPeerSince = -1;
      }
      Outcome<P> outcome = outcomes.poll(NO_PEER_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      if (outcome == null) {
        continue;
      }
      InFlight<P> request = inFlight.remove(outcome.token());
      if (request == null) {
        continue; // answered after its timeout: already re-queued and counted
      }
      switch (outcome.reply()) {
        case Reply.Chunk(StateChunk chunk) -> {
          Validation check = check(chunk, stateRoot, StateChunk.prefixOf(request.index(), prefixBits), prefixBits);
          if (check.isValid()) {
            scores.add(request.peer(), PeerScores.GOOD_CHUNK);
            for (StateChunk.Leaf leaf : chunk.leavesInPrefix()) {
              state.put(leaf.key(), leaf.value());
            }
            done++;
          } else {
            rejected++;
            log.warn("event=state_sync_chunk_rejected peer={} height={} chunk={} reason=\"{}\"",
                request.peer(), height, request.index(), check);
            if (penalize(scores, request.peer(), PeerScores.BAD_CHUNK, height, request.index(), "bad_state_chunk")) {
              punished.add(String.valueOf(request.peer()));
              transport.punish(request.peer(), "bad_state_chunk: " + check);
            }
            pending.add(request.index());
          }
        }
        case Reply.Failed(String reason) -> {
          failed++;
          penalize(scores, request.peer(), PeerScores.FAILED_REQUEST, height, request.index(), reason);
          pending.add(request.index());
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

  /** Lowers {@code peer}'s score, logs it, and says whether the peer just fell to the drop threshold. */
  private boolean penalize(PeerScores<P> scores, P peer, int delta, long height, long index, String reason) {
    boolean droppedNow = scores.add(peer, delta);
    log.info("event=state_sync_peer_scored peer={} height={} chunk={} delta={} score={} reason=\"{}\"",
        peer, height, index, delta, scores.score(peer), reason);
    if (droppedNow) {
      log.warn("event=state_sync_peer_dropped peer={} height={} score={} threshold={} reason=\"{}\"",
          peer, height, scores.score(peer), PeerScores.DROP_AT, reason);
    }
    return droppedNow;
  }

  /** The chunk is the one asked for and proves its leaves against the trusted root. */
  static Validation check(StateChunk chunk, Hash stateRoot, Hash prefix, int prefixBits) {
    if (chunk.prefixBits() != prefixBits || !chunk.prefix().equals(prefix)) {
      return Validation.invalid("chunk_not_requested", "the chunk is for another prefix");
    }
    return chunk.verify(stateRoot);
  }
}
