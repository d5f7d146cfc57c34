package dev.cairn.node.consensus;

import dev.cairn.consensus.driver.DriverEvent;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Validation;
import dev.cairn.node.ports.BlockImporter;
import dev.cairn.node.ports.ConsensusInbox;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The consensus thread's bounded event queue, and the only way in for everyone else: the network, the
 * mempool and the timers post {@link DriverEvent}s here; none of them calls the driver. Built before both the
 * network and the {@link ConsensusDriver}, so neither needs the other to exist first.
 */
public final class ConsensusQueue implements ConsensusInbox, BlockImporter {
  private final BlockingQueue<DriverEvent> queue;
  private final AtomicBoolean txNudgePending = new AtomicBoolean();
  private final AtomicLong importIds = new AtomicLong();
  private final Map<Long, CompletableFuture<ImportResult>> imports = new ConcurrentHashMap<>();
  private final LongAdder droppedPeerMessages = new LongAdder();
  private volatile boolean closed;

  /** @param lengthMax events waiting for the consensus thread; peer messages beyond it are dropped */
  public ConsensusQueue(int lengthMax) {
    if (lengthMax < 16) {
      throw new IllegalArgumentException("need a consensus queue of at least 16 events");
    }
    this.queue = new ArrayBlockingQueue<>(lengthMax);
  }

  @Override
  public void onPeerMessage(Bytes bytes) {
    if (!queue.offer(new DriverEvent.MessageReceived(bytes))) {
      droppedPeerMessages.increment();
    }
  }

  @Override
  public void notifyPeerLost() {
    queue.offer(new DriverEvent.PeerLost());
  }

  @Override
  public void notifyTransactions() {
    if (txNudgePending.compareAndSet(false, true) && !queue.offer(new DriverEvent.TransactionsAvailable())) {
      txNudgePending.set(false);
    }
  }

  @Override
  public CompletableFuture<ImportResult> importFinalized(List<FinalizedBlock> blocks) {
    CompletableFuture<ImportResult> done = new CompletableFuture<>();
    long id = importIds.incrementAndGet();
    imports.put(id, done);
    if (closed || !queue.offer(new DriverEvent.ImportRequested(id, blocks))) {
      imports.remove(id);
      done.complete(new ImportResult(0, Validation.invalid("consensus_queue_full", "import not queued")));
    }
    return done;
  }

  public long droppedPeerMessages() {
    return droppedPeerMessages.sum();
  }

  /** Blocks until there is room: for events that must not be lost (start, timers). */
  void put(DriverEvent event) throws InterruptedException {
    if (!closed) {
      queue.put(event);
    }
  }

  DriverEvent take() throws InterruptedException {
    DriverEvent event = queue.take();
    if (event instanceof DriverEvent.TransactionsAvailable) {
      txNudgePending.set(false);
    }
    return event;
  }

  void completeImport(long requestId, ImportResult result) {
    CompletableFuture<ImportResult> done = imports.remove(requestId);
    if (done != null) {
      done.complete(result);
    }
  }

  /** Empties the queue and posts {@code last}: the consensus thread ends when it takes it. */
  void close(DriverEvent last) {
    closed = true;
    queue.clear();
    queue.offer(last);
  }
}
