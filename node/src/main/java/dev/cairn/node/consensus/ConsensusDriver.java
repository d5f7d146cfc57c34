package dev.cairn.node.consensus;

import dev.cairn.consensus.ConsensusEngine;
import dev.cairn.consensus.Effects;
import dev.cairn.consensus.Evidence;
import dev.cairn.consensus.Input;
import dev.cairn.consensus.PersistedStateCodec;
import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageCodec;
import dev.cairn.consensus.message.MessageKind;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.model.ValidatorSet;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one validator's consensus engine on a single thread (the only writer of consensus state and of the
 * chain) and applies its effects in the order the engine requires: persist own votes and lock, THEN send,
 * then timers, block building and validation, and finally commit. Timers and the network only enqueue
 * events, so nothing here ever runs on a Netty event loop or a timer thread.
 *
 * <p>Heights start lazily: after a commit, the next height begins once there is something to order (a
 * pending transaction, or empty blocks are enabled) or a peer is already working on it. An idle network
 * therefore sits quietly at its head instead of cycling through round changes.
 */
public final class ConsensusDriver implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConsensusDriver.class);

  /**
   * @param blockPeriodMillis a proposer builds no earlier than its parent's timestamp plus this
   * @param emptyBlocks whether to produce blocks without transactions
   * @param queueLengthMax events waiting for the consensus thread; peer messages beyond it are dropped
   * @param unreachableProposerTimeoutMillis the longest a round waits for a proposal when its proposer has no
   *     connection to this node (a crashed validator); the engine's own timeout applies otherwise
   */
  public record Config(long blockPeriodMillis, boolean emptyBlocks, int queueLengthMax, long unreachableProposerTimeoutMillis) {
    public Config {
      if (blockPeriodMillis < 1 || queueLengthMax < 16 || unreachableProposerTimeoutMillis < 1) {
        throw new IllegalArgumentException(
            "need blockPeriodMillis >= 1, queueLengthMax >= 16 and unreachableProposerTimeoutMillis >= 1");
      }
    }

    /** Waits for an unreachable proposer as long as for any other (the engine's timeouts only). */
    public Config(long blockPeriodMillis, boolean emptyBlocks, int queueLengthMax) {
      this(blockPeriodMillis, emptyBlocks, queueLengthMax, Long.MAX_VALUE);
    }
  }

  private sealed interface Event {
    record EngineInput(Input input) implements Event {}

    /** Peers' messages wait in the inbox; this only wakes the thread (coalesced). */
    record InboxReady() implements Event {}

    record TransactionsAvailable() implements Event {}

    record BuildTick() implements Event {}

    record StartHeight() implements Event {}

    record PeerLost() implements Event {}

    record ImportBlocks(List<FinalizedBlock> blocks, CompletableFuture<ImportResult> done) implements Event {}

    record Stop() implements Event {}
  }

  private final Config config;
  private final ConsensusEngine engine;
  /**
   * What importing peers' finalized blocks did: how many were committed, and VALID or the reason the first
   * refused block was refused (the rest of the batch is then skipped).
   */
  public record ImportResult(int committed, Validation outcome) {}

  private final ChainPort chain;
  private final ConsensusNetwork network;
  private final LongSupplier clockMillis;
  private final BlockingQueue<Event> queue;
  private final ScheduledExecutorService timers;
  private final Thread thread;
  private final AtomicBoolean txNudgePending = new AtomicBoolean();
  private final List<Consumer<FinalizedBlock>> finalizationListeners = new CopyOnWriteArrayList<>();
  private final Map<String, LongAdder> rejections = new ConcurrentHashMap<>();
  private final PriorityInbox inbox;
  private final AtomicBoolean inboxWakePending = new AtomicBoolean();
  private final List<Evidence> evidence = new CopyOnWriteArrayList<>();
  private static final int EVIDENCE_KEPT_MAX = 1_000;

  // Consensus-thread state.
  private boolean heightPending = true;
  private Effects.BuildBlock pendingBuild;
  private long lastLoggedHeight = -1;
  private int lastLoggedRound = -1;
  /** The round timer the engine asked for last: the one still live (the engine ignores older sequences). */
  private Effects.TimerRequest lastTimer;
  private volatile boolean stopped;
  /** An observer follows the chain (imports only) and never starts a height of its own. */
  private volatile boolean observer;
  private volatile Throwable failure;

  public ConsensusDriver(
      Config config, ConsensusEngine engine, ChainPort chain, ConsensusNetwork network, LongSupplier clockMillis) {
    this(config, engine, chain, network, clockMillis, defaultInbox(config.queueLengthMax()));
  }

  /** Lanes for a chain of the ledger's largest blocks: votes by count, proposals and round changes by bytes. */
  static PriorityInbox defaultInbox(int messagesMax) {
    long other = 4L * MessageCodec.MESSAGE_BYTES_MAX;
    return new PriorityInbox(new PriorityInbox.LaneLimits(messagesMax, 8L << 20, 2L << 20),
        new PriorityInbox.LaneLimits(messagesMax, other, other / 2));
  }

  /** @param inbox where peers' consensus messages wait for the consensus thread (bounded per lane and source) */
  public ConsensusDriver(Config config, ConsensusEngine engine, ChainPort chain, ConsensusNetwork network,
      LongSupplier clockMillis, PriorityInbox inbox) {
    this.inbox = Objects.requireNonNull(inbox);
    this.config = Objects.requireNonNull(config);
    this.engine = Objects.requireNonNull(engine);
    this.chain = Objects.requireNonNull(chain);
    this.network = Objects.requireNonNull(network);
    this.clockMillis = Objects.requireNonNull(clockMillis);
    this.queue = new ArrayBlockingQueue<>(config.queueLengthMax());
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "consensus-timers");
      t.setDaemon(true);
      return t;
    });
    this.thread = new Thread(this::loop, "consensus");
  }

  public void start(boolean resumeHeight) {
    thread.start();
    // A validator that had signed something at head + 1 before stopping must go back to that height at once.
    if (resumeHeight) {
      enqueue(new Event.StartHeight());
    } else {
      notifyTransactions();
    }
  }

  /** Starts the thread for a node that is not a validator: it only imports finalized blocks. */
  public void startObserving() {
    observer = true;
    thread.start();
  }

  /**
   * Turns this node into an observer (voted out) or back into a participant (voted in). Takes effect at the
   * next height this node starts; meant to be called from a finalization listener, on the consensus thread.
   */
  public void setObserver(boolean observer) {
    this.observer = observer;
  }

  /**
   * Commits finalized blocks from peers on the consensus thread, the chain's only writer. Blocks at or below
   * the head are skipped; each other block must be the next one and pass {@link ChainPort#importFinalized}.
   */
  public CompletableFuture<ImportResult> importFinalized(List<FinalizedBlock> blocks) {
    CompletableFuture<ImportResult> done = new CompletableFuture<>();
    if (stopped || !queue.offer(new Event.ImportBlocks(List.copyOf(blocks), done))) {
      done.complete(new ImportResult(0, Validation.invalid("consensus_queue_full", "import not queued")));
    }
    return done;
  }

  /** Called by the mempool when it admits a transaction; coalesced so a burst costs one event. */
  /**
   * A peer's connection closed. If it was the current round's proposer, the round's timer is brought forward
   * to the unreachable-proposer cap instead of running out its full timeout (see {@link #timerDelayMillis}).
   */
  public void notifyPeerLost() {
    queue.offer(new Event.PeerLost());
  }

  /** Consensus thread: fires the armed round timer early when its proposer just became unreachable. */
  private void onPeerLost() {
    Effects.TimerRequest timer = lastTimer;
    if (timer == null) {
      return;
    }
    long delayMillis = timerDelayMillis(timer, chain.head().height(), chain.nextValidators(), network::isReachable,
        config.unreachableProposerTimeoutMillis());
    if (delayMillis < timer.delayMillis()) {
      // The same request (same sequence): whichever firing comes second finds it stale and does nothing.
      schedule(new Event.EngineInput(new Input.TimerFired(timer)), delayMillis);
    }
  }

  public void notifyTransactions() {
    if (txNudgePending.compareAndSet(false, true)) {
      if (!queue.offer(new Event.TransactionsAvailable())) {
        txNudgePending.set(false);
      }
    }
  }

  /** A consensus message from a peer (undecoded), source unknown. */
  public void onPeerMessage(Bytes bytes) {
    onPeerMessage(bytes, "");
  }

  /**
   * A consensus message relayed by {@code source} (undecoded, already checked by the gossip validator).
   * PREPAREs and COMMITs go to the inbox's vote lane, which the consensus thread drains first; beyond the
   * inbox's bounds the message is dropped and counted per lane.
   */
  public void onPeerMessage(Bytes bytes, String source) {
    MessageKind kind = MessageCodec.peekKind(bytes.unsafeArray()).orElse(MessageKind.PROPOSAL);
    PriorityInbox.Lane lane = kind == MessageKind.PREPARE || kind == MessageKind.COMMIT
        ? PriorityInbox.Lane.VOTES : PriorityInbox.Lane.OTHER;
    if (stopped || !inbox.offer(lane, source, bytes)) {
      return;
    }
    if (inboxWakePending.compareAndSet(false, true) && !queue.offer(new Event.InboxReady())) {
      inboxWakePending.set(false); // the thread is busy with a full queue: it reaches the inbox on its own
    }
  }

  public void onFinalized(Consumer<FinalizedBlock> listener) {
    finalizationListeners.add(listener);
  }

  public List<Evidence> evidence() {
    return List.copyOf(evidence);
  }

  public Map<String, Long> rejectionCounts() {
    Map<String, Long> out = new java.util.TreeMap<>();
    rejections.forEach((reason, count) -> out.put(reason, count.sum()));
    return out;
  }

  /** Peers' consensus messages dropped because the inbox was full, both lanes. */
  public long droppedPeerMessages() {
    return inbox.dropped(PriorityInbox.Lane.VOTES) + inbox.dropped(PriorityInbox.Lane.OTHER);
  }

  /** Peers' PREPAREs and COMMITs (signed by validators) dropped because the vote lane was full: must stay 0. */
  public long droppedConsensusVotes() {
    return inbox.dropped(PriorityInbox.Lane.VOTES);
  }

  /** Non-null once the consensus thread stopped on a broken invariant: the node's health check turns red. */
  public Throwable failure() {
    return failure;
  }

  @Override
  public void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    timers.shutdownNow();
    queue.clear();
    inbox.clear();
    queue.offer(new Event.Stop());
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void enqueue(Event event) {
    if (stopped) {
      return;
    }
    try {
      queue.put(event);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void loop() {
    try {
      while (true) {
        // Votes first; then timers and the other events; then proposals and round changes; else wait.
        Bytes vote = inbox.poll(PriorityInbox.Lane.VOTES);
        if (vote != null) {
          onPeerMessageEvent(vote);
          continue;
        }
        Event event = queue.poll();
        if (event == null) {
          Bytes other = inbox.poll(PriorityInbox.Lane.OTHER);
          if (other != null) {
            onPeerMessageEvent(other);
            continue;
          }
          event = queue.take();
        }
        switch (event) {
          case Event.Stop stop -> {
            return;
          }
          case Event.EngineInput input -> run(input.input());
          case Event.InboxReady ready -> inboxWakePending.set(false);
          case Event.TransactionsAvailable available -> {
            txNudgePending.set(false);
            maybeStartHeight(true);
            tryBuild(null);
          }
          case Event.BuildTick tick -> tryBuild(null);
          case Event.StartHeight start -> maybeStartHeight(false);
          case Event.PeerLost lost -> onPeerLost();
          case Event.ImportBlocks imports -> imports.done().complete(importBlocks(imports.blocks()));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      // A broken invariant (say, the engine refusing to equivocate) halts consensus instead of limping on.
      failure = e;
      log.error("event=consensus_halted reason=\"{}\"", e.toString(), e);
    }
  }

  private void onPeerMessageEvent(Bytes bytes) {
    if (observer) {
      return; // not our height to vote on
    }
    switch (MessageCodec.decode(bytes.unsafeArray())) {
      case MessageCodec.Decoding.Rejected rejected -> count(rejected.reason());
      case MessageCodec.Decoding.Decoded decoded -> {
        ConsensusMessage message = decoded.message();
        if (heightPending && message.height() > chain.head().height()) {
          maybeStartHeight(false); // a peer already works on the next height: join it
        }
        run(new Input.MessageReceived(message));
      }
    }
  }

  private ImportResult importBlocks(List<FinalizedBlock> blocks) {
    boolean wasActive = !heightPending;
    int committed = 0;
    Validation outcome = Validation.VALID;
    for (FinalizedBlock block : blocks) {
      if (block.block().height() <= chain.head().height()) {
        continue;
      }
      outcome = chain.importFinalized(block);
      if (!outcome.isValid()) {
        break;
      }
      committed++;
      log.info("event=block_imported height={} hash={} txs={} seals={}", block.block().height(),
          block.block().hash().shortHex(), block.block().transactions().size(), block.certificate().seals().size());
      notifyFinalized(block);
    }
    if (committed > 0) {
      // Whatever the engine was doing at an older height is moot: move it to head + 1 at once if it was busy
      // (its old round timers would otherwise keep re-sending votes nobody needs), else lazily as usual.
      pendingBuild = null;
      heightPending = true;
      if (wasActive || config.emptyBlocks() || chain.hasPendingTransactions()) {
        maybeStartHeight(false);
      }
    }
    return new ImportResult(committed, outcome);
  }

  /** Starts head + 1 if a height is pending and there is reason to: work to do, or peers already at it. */
  private void maybeStartHeight(boolean onlyIfWork) {
    if (!heightPending || observer) {
      return;
    }
    if (onlyIfWork && !config.emptyBlocks() && !chain.hasPendingTransactions()) {
      return;
    }
    heightPending = false;
    run(new Input.NewHeight(chain.head(), chain.nextValidators()));
  }

  /** Steps the engine with {@code first} and with every input its effects produce, in order. */
  private void run(Input first) {
    Deque<Input> work = new ArrayDeque<>();
    work.add(first);
    while (!work.isEmpty()) {
      apply(engine.step(work.poll()), work);
    }
  }

  /**
   * How long to wait before the engine's round timer fires. A round whose proposer has no connection to us
   * (killed, partitioned away) cannot bring a proposal, so waiting out the full timeout only stalls the
   * chain: the wait is capped. This changes when this node asks for a round change, never what the protocol
   * decides: the engine still moves on only with a quorum in the round, and others join a round change only
   * when f+1 validators ask for it, so a node with a bad link cannot push the rest along.
   */
  static long timerDelayMillis(Effects.TimerRequest timer, long headHeight, ValidatorSet nextValidators,
      Predicate<PublicKey> reachable, long unreachableProposerTimeoutMillis) {
    if (timer.height() != headHeight + 1) {
      return timer.delayMillis();
    }
    PublicKey proposer = nextValidators.proposer(timer.height(), timer.round());
    return reachable.test(proposer) ? timer.delayMillis() : Math.min(timer.delayMillis(), unreachableProposerTimeoutMillis);
  }

  private void apply(Effects effects, Deque<Input> work) {
    effects.persist().ifPresent(state -> chain.saveConsensusState(Bytes.wrap(PersistedStateCodec.encode(state))));
    for (ConsensusMessage message : effects.broadcast()) {
      network.broadcast(Bytes.wrap(MessageCodec.encode(message)));
    }
    for (Effects.TimerRequest timer : effects.timers()) {
      long delayMillis = timerDelayMillis(timer, chain.head().height(), chain.nextValidators(), network::isReachable,
          config.unreachableProposerTimeoutMillis());
      schedule(new Event.EngineInput(new Input.TimerFired(timer)), delayMillis);
      lastTimer = timer;
      if (timer.round() > 0 && (timer.height() != lastLoggedHeight || timer.round() != lastLoggedRound)) {
        lastLoggedHeight = timer.height();
        lastLoggedRound = timer.round();
        log.info("event=round_change height={} round={} timeout_ms={}", timer.height(), timer.round(), delayMillis);
      }
    }
    effects.buildBlock().ifPresent(build -> {
      pendingBuild = build;
      tryBuild(work);
    });
    for (Block block : effects.validate()) {
      Validation result = chain.validate(block);
      if (!result.isValid()) {
        log.warn("event=proposal_invalid height={} round={} block={} reason=\"{}\"",
            block.height(), block.header().round(), block.hash().shortHex(), result);
      }
      work.add(new Input.BlockValidated(block.hash(), result));
    }
    effects.finalized().ifPresent(finalized -> commit(finalized, work));
    for (Evidence e : effects.evidence()) {
      if (evidence.size() < EVIDENCE_KEPT_MAX) {
        evidence.add(e);
      }
      log.warn("event=equivocation validator={} height={} round={} kind={}",
          e.first().author(), e.first().body().height(), e.first().body().round(), e.first().body().kind());
    }
    for (Validation.Invalid rejected : effects.rejected()) {
      count(rejected);
    }
  }

  private void commit(FinalizedBlock finalized, Deque<Input> work) {
    BlockHeader header = finalized.block().header();
    if (header.height() != chain.head().height() + 1) {
      // Sync already committed this height (a block with the same certificate quorum, hence the same block).
      log.info("event=finalized_already_imported height={} head={}", header.height(), chain.head().height());
      return;
    }
    chain.commit(finalized);
    log.info("event=block_committed height={} hash={} round={} txs={} seals={}",
        header.height(), finalized.block().hash().shortHex(), header.round(),
        finalized.block().transactions().size(), finalized.certificate().seals().size());
    pendingBuild = null;
    heightPending = true;
    notifyFinalized(finalized);
    if (config.emptyBlocks() || chain.hasPendingTransactions()) {
      heightPending = false;
      work.add(new Input.NewHeight(chain.head(), chain.nextValidators()));
    }
  }

  private void notifyFinalized(FinalizedBlock finalized) {
    for (Consumer<FinalizedBlock> listener : finalizationListeners) {
      try {
        listener.accept(finalized);
      } catch (RuntimeException e) {
        log.warn("event=finalization_listener_failed height={} error=\"{}\"", finalized.block().height(), e.toString());
      }
    }
  }

  /**
   * Builds the candidate the engine asked for once the block period since the parent has passed, and (for
   * round 0 without empty blocks) once there is a transaction. Later rounds always propose something, even
   * an empty block, so that a height that started can finish.
   */
  private void tryBuild(Deque<Input> work) {
    Effects.BuildBlock build = pendingBuild;
    if (build == null || build.height() != engine.height() || build.round() != engine.round()) {
      return;
    }
    long earliest = chain.head().timestampMillis() + config.blockPeriodMillis();
    long now = clockMillis.getAsLong();
    if (now < earliest) {
      schedule(new Event.BuildTick(), earliest - now);
      return;
    }
    if (build.round() == 0 && !config.emptyBlocks() && !chain.hasPendingTransactions()) {
      return; // TransactionsAvailable brings us back
    }
    pendingBuild = null;
    Block candidate = chain.buildCandidate(build.round(), engine.self(), now);
    Input ready = new Input.CandidateReady(candidate);
    if (work != null) {
      work.add(ready);
    } else {
      run(ready);
    }
  }

  private void schedule(Event event, long delayMillis) {
    if (stopped) {
      return;
    }
    timers.schedule(() -> enqueue(event), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
  }

  private void count(Validation validation) {
    if (validation instanceof Validation.Invalid invalid) {
      rejections.computeIfAbsent(invalid.reason(), r -> new LongAdder()).increment();
      log.debug("event=consensus_input_rejected reason={} detail=\"{}\"", invalid.reason(), invalid.detail());
    }
  }

  /** For tests and status: the engine's height and round as last seen by the consensus thread. */
  public String status() {
    return "height=" + engine.height() + " round=" + engine.round() + " pending_height=" + heightPending;
  }
}
