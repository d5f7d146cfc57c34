package dev.cairn.chain;

import dev.cairn.ledger.store.ChainStore;
import dev.cairn.ledger.store.Retention;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prunes the chain store in the background by its {@link Retention}: one thread runs bounded pruning steps
 * (each one synced batch that holds the commit lock for its duration only) until it has caught up, then sleeps
 * until the next commit or {@link #IDLE_WAIT_MILLIS}. Stopping waits for the step in progress; a kill at any
 * moment leaves whole steps only (docs/storage.md, "Pruning").
 */
public final class PruningService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PruningService.class);
  static final long IDLE_WAIT_MILLIS = 1_000;
  /** An INFO summary at most this often while pruning works; every step is logged at DEBUG. */
  static final long SUMMARY_INTERVAL_MILLIS = 60_000;

  private final ChainStore store;
  private final Thread thread;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition committed = lock.newCondition();
  private volatile boolean stopping;
  private boolean commitPending;

  private PruningService(ChainStore store) {
    this.store = store;
    this.thread = new Thread(this::run, "pruner");
    thread.setDaemon(true);
  }

  public static PruningService start(ChainStore store) {
    PruningService service = new PruningService(store);
    Retention retention = store.retention();
    LOG.info("event=pruning_started retain_blocks={} retain_state={} bodies_from={} state_from={}",
        retention.retainBlocks(), retention.retainState(), store.bodiesRetainedFrom(), store.stateRetainedFrom());
    service.thread.start();
    return service;
  }

  /** Wakes the pruner: a block was committed, so the horizon moved. */
  public void onCommit() {
    lock.lock();
    try {
      commitPending = true;
      committed.signal();
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    long bodies = 0;
    long nodes = 0;
    long lastSummary = System.nanoTime();
    while (!stopping) {
      ChainStore.PruneStep step;
      try {
        step = store.prune();
      } catch (RuntimeException e) {
        if (stopping) {
          return;
        }
        // A storage failure: the store's own writes will fail the same way and stop the node; do not spin.
        LOG.error("event=pruning_failed error=\"{}\"", e.getMessage());
        step = ChainStore.PruneStep.NOTHING;
      }
      bodies += step.blockBodies();
      nodes += step.stateNodes();
      if (System.nanoTime() - lastSummary > TimeUnit.MILLISECONDS.toNanos(SUMMARY_INTERVAL_MILLIS) && (bodies > 0 || nodes > 0)) {
        LOG.info("event=pruned block_bodies={} state_nodes={} bodies_from={} state_from={}", bodies, nodes,
            store.bodiesRetainedFrom(), store.stateRetainedFrom());
        bodies = 0;
        nodes = 0;
        lastSummary = System.nanoTime();
      }
      if (!step.moreWork()) {
        awaitCommit();
      }
    }
  }

  private void awaitCommit() {
    lock.lock();
    try {
      if (!commitPending && !stopping) {
        committed.await(IDLE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      }
      commitPending = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping = true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    stopping = true;
    onCommit();
    try {
      // The step in progress ends before the store it writes closes.
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
