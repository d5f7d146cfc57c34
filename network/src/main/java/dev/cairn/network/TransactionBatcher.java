package dev.cairn.network;

import dev.cairn.ledger.bytes.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the transactions this node admitted from JSON-RPC into batches, one gossip message each: a batch
 * is published when it holds {@code txsPerBatchMax} transactions, when the next one would take it past
 * {@code batchBytesMax} encoded bytes, or {@code lingerMillis} after its first transaction, whichever comes
 * first. One message per batch instead of per transaction is what lets gossip keep up with the submission
 * rate without queueing consensus votes behind thousands of small messages on the router.
 *
 * <p>Thread-safe: RPC threads {@link #offer}; encoding and publishing run on the {@code publisher} executor.
 * At most {@code batchesQueuedMax} batches wait there; beyond that a full batch is dropped from gossip and
 * counted (its transactions stay in this node's mempool and reach a block when this node proposes). Once the
 * executors refuse work (shutdown), what is pending is not gossiped; it stays in the mempool too.
 */
public final class TransactionBatcher {
  private static final Logger log = LoggerFactory.getLogger(TransactionBatcher.class);

  private final TxBatching config;
  private final Executor publisher;
  private final LingerTimer timer;
  private final Consumer<byte[]> publish;
  private final Object lock = new Object();
  /** Guarded by {@link #lock}. */
  private List<Bytes> pending = new ArrayList<>();
  /** Guarded by {@link #lock}: encoded size of {@link #pending} as a batch. */
  private long pendingBytes = TransactionBatchCodec.HEADER_BYTES;
  /** Guarded by {@link #lock}: bumped at every flush, so that a linger timer of an earlier batch does nothing. */
  private long generation;
  private final AtomicInteger batchesQueued = new AtomicInteger();
  private final AtomicLong batchesPublished = new AtomicLong();
  private final AtomicLong batchesDropped = new AtomicLong();

  /** What an offered transaction became. */
  public enum Offer {
    QUEUED,
    /** Larger than a batch may be: never gossiped (the config validation keeps this to oversize transactions). */
    TOO_LARGE
  }

  /** Runs a task after a delay (on any thread); may throw {@link RejectedExecutionException} when shut down. */
  @FunctionalInterface
  public interface LingerTimer {
    void schedule(Runnable task, long delayMillis);
  }

  /**
   * @param publisher where batches are encoded and published
   * @param timer fires linger timeouts
   * @param publish takes one encoded batch; runs on {@code publisher} and must not block
   */
  public TransactionBatcher(TxBatching config, Executor publisher, LingerTimer timer,
      Consumer<byte[]> publish) {
    this.config = NetworkLimits.checkTxBatching(Objects.requireNonNull(config, "config"));
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    this.timer = Objects.requireNonNull(timer, "timer");
    this.publish = Objects.requireNonNull(publish, "publish");
  }

  public Offer offer(Bytes encodedTx) {
    long txBytes = TransactionBatchCodec.PER_TX_OVERHEAD_BYTES + (long) encodedTx.size();
    if (TransactionBatchCodec.HEADER_BYTES + txBytes > config.batchBytesMax()) {
      log.debug("tx not gossiped reason=too_large bytes={} batch_bytes_max={}", encodedTx.size(), config.batchBytesMax());
      return Offer.TOO_LARGE;
    }
    List<Bytes> full = null;
    List<Bytes> second = null;
    synchronized (lock) {
      if (pendingBytes + txBytes > config.batchBytesMax()) {
        full = takeLocked();
      }
      pending.add(encodedTx);
      pendingBytes += txBytes;
      if (pending.size() >= config.txsPerBatchMax()) {
        second = takeLocked();
      } else if (pending.size() == 1) {
        long due = generation;
        try {
          timer.schedule(() -> lingerExpired(due), config.lingerMillis());
        } catch (RejectedExecutionException e) {
          // shutting down: see the class comment
        }
      }
    }
    submit(full);
    submit(second);
    return Offer.QUEUED;
  }

  private void lingerExpired(long due) {
    List<Bytes> batch;
    synchronized (lock) {
      if (generation != due || pending.isEmpty()) {
        return;
      }
      batch = takeLocked();
    }
    publishNow(batch);
  }

  private List<Bytes> takeLocked() {
    List<Bytes> batch = pending;
    pending = new ArrayList<>();
    pendingBytes = TransactionBatchCodec.HEADER_BYTES;
    generation++;
    return batch;
  }

  private void submit(List<Bytes> batch) {
    if (batch == null) {
      return;
    }
    if (batchesQueued.incrementAndGet() > config.batchesQueuedMax()) {
      batchesQueued.decrementAndGet();
      batchesDropped.incrementAndGet();
      log.debug("tx batch not gossiped reason=queue_full txs={} batches_queued_max={}", batch.size(),
          config.batchesQueuedMax());
      return;
    }
    try {
      publisher.execute(() -> {
        batchesQueued.decrementAndGet();
        publishNow(batch);
      });
    } catch (RejectedExecutionException e) {
      batchesQueued.decrementAndGet(); // shutting down: see the class comment
    }
  }

  private void publishNow(List<Bytes> batch) {
    try {
      publish.accept(TransactionBatchCodec.encode(batch));
      batchesPublished.incrementAndGet();
    } catch (RuntimeException e) {
      // The executor would keep the failure in a future nobody reads: say it here.
      log.error("tx batch publish failed txs={} error={}", batch.size(), e.toString(), e);
    }
  }

  public long batchesPublished() {
    return batchesPublished.get();
  }

  public long batchesDropped() {
    return batchesDropped.get();
  }
}
