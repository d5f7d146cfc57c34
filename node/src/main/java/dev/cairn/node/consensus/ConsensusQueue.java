package dev.cairn.node.consensus;

import dev.cairn.consensus.Preverified;
import dev.cairn.consensus.driver.DriverEvent;
import dev.cairn.consensus.message.MessageCodec;
import dev.cairn.consensus.message.MessageKind;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Validation;
import dev.cairn.network.ports.BlockImporter;
import dev.cairn.network.ports.ConsensusInbox;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The consensus thread's inbound path, and the only way in for everyone else: the network, the mempool and
 * the timers post here; none of them calls the driver. Built before both the network and the
 * {@link ConsensusDriver}, so neither needs the other to exist first.
 *
 * <p>Two parts, one consumer. Peers' consensus messages wait in a {@link PriorityInbox}: PREPAREs and COMMITs
 * in its vote lane, PROPOSALs and ROUND_CHANGEs in the other, each lane bounded in messages, in bytes and in
 * bytes per relaying peer (what does not fit is dropped and counted per lane), each message counted at its
 * size on the wire when it waits undecoded and at a bound on its heap when it waits as the gossip relay
 * decoded and checked it ({@link #onCheckedPeerMessage}). Everything else (start, timers,
 * transaction nudges, lost peers, imports) waits in a bounded event queue. {@link #take} hands the consensus
 * thread a vote first, then the oldest other event, then a proposal or round change, so a flood of large
 * messages can neither delay votes nor starve timers. The one exception is the start: until the consensus
 * thread has taken its {@link DriverEvent.Start}, peers' messages wait in the inbox, because a driver that does
 * not yet know whether it is a validator judges them as an observer would, dropping votes no peer resends (a
 * node that hears its peers before its own thread runs would lose the round).
 */
public final class ConsensusQueue implements ConsensusInbox<Preverified>, BlockImporter {
  private final int lengthMax;
  private final ArrayDeque<DriverEvent> events = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final PriorityInbox<DriverEvent> inbox;
  private final AtomicBoolean txNudgePending = new AtomicBoolean();
  private final AtomicLong importIds = new AtomicLong();
  private final Map<Long, CompletableFuture<ImportResult>> imports = new ConcurrentHashMap<>();
  private volatile boolean closed;
  /** Guarded by {@link #lock}: the consensus thread has taken its start event. */
  private boolean startTaken;

  /** @param lengthMax events waiting for the consensus thread, and messages waiting in each inbox lane */
  public ConsensusQueue(int lengthMax) {
    this(lengthMax, defaultInbox(lengthMax));
  }

  /**
   * @param lengthMax events (other than peers' messages) waiting for the consensus thread
   * @param inbox where peers' consensus messages wait (bounded per lane and per source)
   */
  public ConsensusQueue(int lengthMax, PriorityInbox<DriverEvent> inbox) {
    if (lengthMax < 16) {
      throw new IllegalArgumentException("need a consensus queue of at least 16 events");
    }
    this.lengthMax = lengthMax;
    this.inbox = Objects.requireNonNull(inbox, "inbox");
  }

  /** Lanes for a chain of the ledger's largest blocks: votes by count, proposals and round changes by bytes. */
  static PriorityInbox<DriverEvent> defaultInbox(int messagesMax) {
    long other = 4L * MessageCodec.MESSAGE_BYTES_MAX;
    return new PriorityInbox<>(new PriorityInbox.LaneLimits(messagesMax, 8L << 20, 2L << 20),
        new PriorityInbox.LaneLimits(messagesMax, other, other / 2));
  }

  /**
   * PREPAREs and COMMITs go to the inbox's vote lane, which the consensus thread drains first; beyond the
   * inbox's bounds the message is dropped and counted per lane.
   */
  @Override
  public void onPeerMessage(Bytes bytes, String source) {
    MessageKind kind = MessageCodec.peekKind(bytes.unsafeArray()).orElse(MessageKind.PROPOSAL);
    if (closed || !inbox.offer(lane(kind), source, new DriverEvent.MessageReceived(bytes), bytes.size())) {
      return;
    }
    signalMessage();
  }

  /**
   * As {@link #onPeerMessage(Bytes, String)}, in the same lane for its kind: decoded, counted at
   * {@link Preverified#HEAP_BYTES_PER_WIRE_BYTE} times its wire size (so the lane's byte bound stays a bound on
   * heap), or, where that does not fit, undecoded at its wire size, as if it had come unchecked.
   */
  @Override
  public void onCheckedPeerMessage(Preverified message, Bytes wire, String source) {
    long decodedBytes = (long) wire.size() * Preverified.HEAP_BYTES_PER_WIRE_BYTE;
    if (closed || !inbox.offerEither(lane(message.message().kind()), source,
        new DriverEvent.PreverifiedMessageReceived(message), decodedBytes,
        new DriverEvent.MessageReceived(wire), wire.size())) {
      return;
    }
    signalMessage();
  }

  private static PriorityInbox.Lane lane(MessageKind kind) {
    return kind == MessageKind.PREPARE || kind == MessageKind.COMMIT ? PriorityInbox.Lane.VOTES : PriorityInbox.Lane.OTHER;
  }

  private void signalMessage() {
    lock.lock();
    try {
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void notifyPeerLost() {
    offer(new DriverEvent.PeerLost());
  }

  @Override
  public void notifyTransactions() {
    if (txNudgePending.compareAndSet(false, true) && !offer(new DriverEvent.TransactionsAvailable())) {
      txNudgePending.set(false);
    }
  }

  @Override
  public CompletableFuture<ImportResult> importFinalized(List<FinalizedBlock> blocks) {
    CompletableFuture<ImportResult> done = new CompletableFuture<>();
    long id = importIds.incrementAndGet();
    imports.put(id, done);
    if (closed || !offer(new DriverEvent.ImportRequested(id, blocks))) {
      imports.remove(id);
      done.complete(new ImportResult(0, Validation.invalid("consensus_queue_full", "import not queued")));
    }
    return done;
  }

  /** Peers' consensus messages dropped because the inbox was full, both lanes. */
  public long droppedPeerMessages() {
    return inbox.dropped(PriorityInbox.Lane.VOTES) + inbox.dropped(PriorityInbox.Lane.OTHER);
  }

  /** Peers' PREPAREs and COMMITs dropped because the vote lane was full: must stay 0. */
  public long droppedConsensusVotes() {
    return inbox.dropped(PriorityInbox.Lane.VOTES);
  }

  private boolean offer(DriverEvent event) {
    lock.lock();
    try {
      if (closed || events.size() >= lengthMax) {
        return false;
      }
      events.add(event);
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Blocks until there is room: for events that must not be lost (start, timers). */
  void put(DriverEvent event) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (!closed && events.size() >= lengthMax) {
        notFull.await();
      }
      if (!closed) {
        events.add(event);
        notEmpty.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * A vote if one waits; else the oldest other event; else a proposal or round change; else waits. Before the
   * start event has been taken, only events.
   */
  DriverEvent take() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (true) {
        DriverEvent vote = startTaken ? inbox.poll(PriorityInbox.Lane.VOTES) : null;
        if (vote != null) {
          return vote;
        }
        DriverEvent event = events.poll();
        if (event != null) {
          notFull.signal();
          if (event instanceof DriverEvent.TransactionsAvailable) {
            txNudgePending.set(false);
          }
          if (event instanceof DriverEvent.Start) {
            startTaken = true;
          }
          return event;
        }
        DriverEvent other = startTaken ? inbox.poll(PriorityInbox.Lane.OTHER) : null;
        if (other != null) {
          return other;
        }
        notEmpty.await();
      }
    } finally {
      lock.unlock();
    }
  }

  void completeImport(long requestId, ImportResult result) {
    CompletableFuture<ImportResult> done = imports.remove(requestId);
    if (done != null) {
      done.complete(result);
    }
  }

  /** Empties the queue and the inbox and posts {@code last}: the consensus thread ends when it takes it. */
  void close(DriverEvent last) {
    lock.lock();
    try {
      closed = true;
      events.clear();
      inbox.clear();
      events.add(last);
      notEmpty.signalAll();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
