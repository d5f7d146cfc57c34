package dev.cairn.tools.loadgen;

import dev.cairn.rpc.client.BlockTxIds;
import dev.cairn.rpc.client.HeadSubscription;
import dev.cairn.rpc.client.RpcClient;
import dev.cairn.rpc.client.RpcException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Follows finality through a {@code newHeads} WebSocket subscription: the time a head is announced is the
 * finality time of every transaction in it; the block's tx ids are then fetched over HTTP
 * ({@code cairn_getBlockByNumber}, ids only) on a separate thread, so slow fetching never delays the
 * timestamps. Heights skipped between two announcements are fetched too.
 */
final class FinalityTracker implements AutoCloseable {
  /** Receives each finalized transaction id with the announcement time of its block. */
  interface FinalListener {
    void finalized(String txId, long atNanos);
  }

  private record Head(long height, long atNanos) {}

  private static final Head STOP = new Head(-1, 0);
  private final BlockingQueue<Head> heads = new LinkedBlockingQueue<>();
  private final RpcClient rpc;
  private final FinalListener listener;
  private final Thread fetcher;
  private HeadSubscription subscription;
  private volatile long lastFetched = -1;
  /** When each fetched block's head was announced (fetcher thread; read after {@link #close}). */
  private final List<Long> blockAnnouncedAt = new ArrayList<>();

  private FinalityTracker(RpcClient rpc, FinalListener listener) {
    this.rpc = rpc;
    this.listener = listener;
    this.fetcher = Thread.ofPlatform().name("finality-fetch").unstarted(this::fetchLoop);
  }

  static FinalityTracker open(URI rpcUrl, FinalListener listener) {
    FinalityTracker tracker = new FinalityTracker(
        new RpcClient(rpcUrl, Duration.ofSeconds(30), ChainAudit.ANSWER_BYTES_MAX), listener);
    tracker.subscription = tracker.rpc.subscribeNewHeads(
        (height, header) -> tracker.heads.add(new Head(height, System.nanoTime())));
    try {
      tracker.lastFetched = tracker.rpc.blockNumber();
    } catch (RpcException e) {
      tracker.subscription.close();
      throw e;
    }
    tracker.fetcher.start();
    return tracker;
  }

  private void fetchLoop() {
    try {
      while (true) {
        Head head = heads.take();
        if (head == STOP) {
          return;
        }
        for (long h = Math.max(lastFetched + 1, 1); h <= head.height(); h++) {
          BlockTxIds block = rpc.getBlockTxIds(h)
              .orElseThrow(() -> new IllegalStateException("a head was announced but its block is missing"));
          for (String id : block.txIds()) {
            listener.finalized(id, head.atNanos());
          }
          blockAnnouncedAt.add(head.atNanos());
          lastFetched = h;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RpcException e) {
      throw new IllegalStateException("finality tracking failed at height " + (lastFetched + 1) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Blocks finalized in [fromNanos, toNanos) by their announcement time (empty ones included): with the
   * committed count, the mean block size, which per-block costs (commit, Merkle roots, consensus messages)
   * scale with. Valid after {@link #close}.
   */
  long blocksBetween(long fromNanos, long toNanos) {
    return blockAnnouncedAt.stream().filter(at -> at >= fromNanos && at < toNanos).count();
  }

  /** Waits for the fetcher to catch up with every head announced so far, then stops it. */
  @Override
  public void close() throws InterruptedException {
    if (fetcher.isAlive()) {
      heads.add(STOP);
      fetcher.join(TimeUnit.SECONDS.toMillis(30));
    }
    if (subscription != null) {
      subscription.close();
    }
  }
}
