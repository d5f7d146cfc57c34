package dev.cairn.network;

import com.google.protobuf.ByteString;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.network.ports.BlockImporter;
import dev.cairn.network.ports.ChainReader;
import dev.cairn.p2p.host.Host;
import dev.cairn.p2p.host.PeerInfo;
import dev.cairn.p2p.identity.PeerId;
import dev.cairn.p2p.reqresp.RequestRefusedException;
import dev.cairn.p2p.reqresp.RequestResponse;
import dev.cairn.p2p.reqresp.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catches this node up with its peers. It learns peers' finalized heads from status requests (polled) and
 * from finalized-block gossip, asks the most advanced peer for batches of finalized blocks with
 * certificates, and hands each batch to the consensus thread ({@link BlockImporter}), which
 * checks hash links, certificates against the validator set of each height, and re-executes every block
 * before committing it. It also serves both protocols to peers from the chain store.
 *
 * <p>A node one block behind is usually just seeing gossip ahead of its own commit; only a lag that lasts
 * {@code lagGraceMillis} (or a gap of two blocks or more) starts a sync.
 */
public final class BlockSync implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BlockSync.class);
  static final long TICK_INTERVAL_MILLIS = 1_000;
  /**
   * A peer whose last known head is this many heights below ours is catching up (restarted, re-syncing), not
   * taking part in consensus. Well above what a live peer falls behind between two status polls.
   */
  static final long CATCHING_UP_HEIGHTS_MIN = 16;
  static final int BLOCKS_PER_REQUEST_MAX = 64;
  /** Stored bytes per response; under the request/response responseBytesMax (6 MiB) with room for framing. */
  static final long RESPONSE_BYTES_MAX = 4L * 1024 * 1024;
  static final long PROGRESS_LOG_INTERVAL_MILLIS = 5_000;
  /** Behind by more than this many blocks is reported as syncing (cairn_syncing). */
  static final long SYNCING_REPORT_GAP_MIN = 2;
  /** Batches per tick, so that close() is never kept waiting long. */
  static final int BATCHES_PER_TICK_MAX = 32;
  static final long IMPORT_TIMEOUT_MILLIS = 120_000;

  private final Host host;
  private final RequestResponse requests;
  private final NetworkTopics topics;
  private final ChainReader chain;
  private final BlockImporter importer;
  private volatile long lagGraceMillis;
  private final Map<PeerId, Long> peerHeights = new ConcurrentHashMap<>();
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "block-sync");
    t.setDaemon(true);
    return t;
  });
  /** Serves peers' block requests off the Netty event loop (RocksDB reads). */
  private final ExecutorService serving = Executors.newFixedThreadPool(1, r -> {
    Thread t = new Thread(r, "block-serve");
    t.setDaemon(true);
    return t;
  });

  // block-sync thread state
  private long behindSinceMillis = -1;
  private long syncStartHeight = -1;
  private long syncStartMillis;
  private long lastProgressLogMillis;
  private volatile SyncState state = new SyncState.Synced();

  public BlockSync(Host host, RequestResponse requests, NetworkTopics topics, ChainReader chain, BlockImporter importer,
      long lagGraceMillis) {
    this.host = host;
    this.requests = requests;
    this.topics = topics;
    this.chain = chain;
    this.importer = importer;
    this.lagGraceMillis = lagGraceMillis;
  }

  /** Registers the protocol handlers; call before the host starts. */
  public void register() {
    requests.register(topics.statusProtocol(), (from, request) -> {
      BlockHeader head = chain.head();
      return CompletableFuture.completedFuture(
          ByteString.copyFrom(SyncCodec.encode(new SyncCodec.Status(head.height(), head.hash()))));
    }, SyncCodec.STATUS_REQUEST_BYTES_MAX);
    requests.register(topics.blocksProtocol(), (from, request) -> CompletableFuture.supplyAsync(() -> {
      SyncCodec.BlocksRequest blocksRequest = switch (SyncCodec.decodeBlocksRequest(request.toByteArray())) {
        case SyncCodec.Decoding.Ok<SyncCodec.BlocksRequest> ok -> ok.value();
        case SyncCodec.Decoding.Malformed<SyncCodec.BlocksRequest> malformed -> throw new RequestRefusedException(malformed.reason());
      };
      int count = Math.min(blocksRequest.countMax(), BLOCKS_PER_REQUEST_MAX);
      List<FinalizedBlock> blocks = chain.blocks(blocksRequest.fromHeight(), count, RESPONSE_BYTES_MAX);
      return ByteString.copyFrom(SyncCodec.encodeBlocks(blocks));
    }, serving), SyncCodec.BLOCKS_REQUEST_BYTES);
  }

  public void start() {
    loop.scheduleWithFixedDelay(this::tick, TICK_INTERVAL_MILLIS, TICK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** A peer's finalized head, learned from gossip (a finalized block it published). */
  public void notePeerHead(PeerId peer, long height) {
    peerHeights.merge(peer, height, Math::max);
  }

  /** Whether {@code peer}'s last known head is far enough below {@code ourHead} that it must be catching up. */
  public boolean isCatchingUp(PeerId peer, long ourHead) {
    Long height = peerHeights.get(peer);
    return height != null && height + CATCHING_UP_HEIGHTS_MIN < ourHead;
  }

  /** A validator waits this long for its own commit before importing a block its peers finalized. */
  public void setLagGraceMillis(long lagGraceMillis) {
    this.lagGraceMillis = lagGraceMillis;
  }

  public SyncState state() {
    return state;
  }

  /**
   * How far the highest head a connected peer reported is above ours (0 when none is higher, or with no
   * peers), or -1 while there are peers and none has reported its head yet (the first status poll is at most
   * {@link #TICK_INTERVAL_MILLIS} after a connection).
   */
  public long blocksBehind() {
    long head = chain.head().height();
    long best = -1;
    for (long height : peerHeights.values()) {
      best = Math.max(best, height);
    }
    if (best < 0) {
      return host.peers().isEmpty() ? 0 : -1;
    }
    return Math.max(0, best - head);
  }

  private void tick() {
    try {
      pollStatus();
      syncRound();
    } catch (RuntimeException e) {
      log.warn("event=sync_tick_failed error=\"{}\"", e.toString(), e);
    }
  }

  private void pollStatus() {
    peerHeights.keySet().retainAll(host.peers().stream().map(PeerInfo::peer).toList());
    byte[] empty = new byte[0];
    for (PeerInfo info : host.peers()) {
      requests.request(info.peer(), topics.statusProtocol(), empty).thenAccept(response -> {
        if (response instanceof Response.Ok ok
            && SyncCodec.decodeStatus(ok.body().toByteArray()) instanceof SyncCodec.Decoding.Ok<SyncCodec.Status> status) {
          notePeerHead(info.peer(), status.value().height());
        }
      });
    }
  }

  private void syncRound() {
    for (int batch = 0; batch < BATCHES_PER_TICK_MAX; batch++) {
      long head = chain.head().height();
      Optional<Map.Entry<PeerId, Long>> best = peerHeights.entrySet().stream().max(Map.Entry.comparingByValue());
      long target = best.map(Map.Entry::getValue).orElse(head);
      long now = System.currentTimeMillis();
      if (target <= head) {
        finished(head);
        return;
      }
      if (behindSinceMillis < 0) {
        behindSinceMillis = now;
      }
      if (target - head < 2 && now - behindSinceMillis < lagGraceMillis) {
        return;
      }
      if (syncStartHeight < 0) {
        syncStartHeight = head;
        syncStartMillis = now;
        log.info("event=sync_started height={} target={} peers={}", head, target, peerHeights.size());
      }
      if (!fetchAndImport(best.get().getKey(), head)) {
        return;
      }
      progress(chain.head().height(), target, System.currentTimeMillis());
    }
  }

  /** One batch from {@code peer}; false if nothing was committed (the peer is then forgotten until it reports again). */
  private boolean fetchAndImport(PeerId peer, long head) {
    byte[] request = SyncCodec.encode(new SyncCodec.BlocksRequest(head + 1, BLOCKS_PER_REQUEST_MAX));
    Response response = requests.request(peer, topics.blocksProtocol(), request).join();
    if (!(response instanceof Response.Ok ok)) {
      log.info("event=sync_request_failed peer={} from_height={} reason=\"{}\"", peer.shortText(), head + 1, response);
      peerHeights.remove(peer);
      return false;
    }
    List<FinalizedBlock> blocks = switch (SyncCodec.decodeBlocks(ok.body().toByteArray())) {
      case SyncCodec.Decoding.Ok<List<FinalizedBlock>> decoded -> decoded.value();
      case SyncCodec.Decoding.Malformed<List<FinalizedBlock>> malformed -> {
        log.warn("event=sync_response_malformed peer={} reason=\"{}\"", peer.shortText(), malformed.reason());
        yield List.of();
      }
    };
    if (blocks.isEmpty()) {
      peerHeights.remove(peer);
      return false;
    }
    BlockImporter.ImportResult result = importer.importFinalized(blocks)
        .completeOnTimeout(new BlockImporter.ImportResult(0, dev.cairn.ledger.model.Validation.invalid(
            "import_timeout", "consensus thread did not answer")), IMPORT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .join();
    if (!result.outcome().isValid()) {
      log.warn("event=sync_block_refused peer={} from_height={} committed={} reason=\"{}\"",
          peer.shortText(), head + 1, result.committed(), result.outcome());
      peerHeights.remove(peer);
    }
    return result.committed() > 0;
  }

  private void progress(long height, long target, long now) {
    if (target - height > SYNCING_REPORT_GAP_MIN) {
      state = new SyncState.Syncing(syncStartHeight, height, target);
    }
    if (now - lastProgressLogMillis >= PROGRESS_LOG_INTERVAL_MILLIS) {
      lastProgressLogMillis = now;
      double seconds = Math.max(0.001, (now - syncStartMillis) / 1000.0);
      double rate = (height - syncStartHeight) / seconds;
      long percent = target == 0 ? 100 : Math.round(100.0 * height / target);
      String eta = rate > 0 ? Long.toString(Math.round((target - height) / rate)) : "unknown";
      log.info("event=sync_progress height={} target={} percent={} blocks_per_s={} eta_s={}",
          height, target, percent, String.format("%.1f", rate), eta);
    }
  }

  private void finished(long head) {
    behindSinceMillis = -1;
    if (syncStartHeight >= 0) {
      log.info("event=sync_finished height={} blocks={} millis={}",
          head, head - syncStartHeight, System.currentTimeMillis() - syncStartMillis);
      syncStartHeight = -1;
    }
    state = new SyncState.Synced();
  }

  @Override
  public void close() {
    loop.shutdownNow();
    serving.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
