package dev.cairn.node.consensus;

import dev.cairn.metrics.ConsensusHealth;
import dev.cairn.chain.ChainPort;
import dev.cairn.network.ConsensusNetwork;
import dev.cairn.consensus.ConsensusEngine;
import dev.cairn.consensus.Evidence;
import dev.cairn.consensus.PersistedStateCodec;
import dev.cairn.consensus.driver.ConsensusObserver;
import dev.cairn.consensus.driver.Driver;
import dev.cairn.consensus.driver.DriverCommand;
import dev.cairn.consensus.driver.DriverConfig;
import dev.cairn.consensus.driver.DriverEvent;
import dev.cairn.consensus.driver.DriverTimer;
import dev.cairn.consensus.driver.DriverView;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.network.ports.BlockImporter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consensus thread: the only writer of consensus state and of the chain. It feeds the pure {@link Driver}
 * one event at a time and carries out its commands in order (a Persist is synced before anything after it
 * runs, and a failed one halts the thread). Timers, the network and the mempool only enqueue events, so
 * nothing here runs on a Netty event loop or a timer thread. All protocol decisions live in the driver.
 */
public final class ConsensusDriver implements AutoCloseable, ConsensusHealth {
  private static final Logger log = LoggerFactory.getLogger(ConsensusDriver.class);
  /** Told on the consensus thread when a vote added (true) or removed (false) this node as a validator. */
  public interface RoleListener {
    void roleChanged(long height, boolean validator);
  }

  /** Posted by close(): the thread ends when it takes this very instance. */
  private static final DriverEvent STOP = new DriverEvent.PeerLost();

  private final Driver driver;
  private final ChainPort chain;
  private final ConsensusNetwork network;
  private final LongSupplier clockMillis;
  private final ConsensusQueue queue;
  private final ScheduledExecutorService timers;
  private final Thread thread;
  private final List<Consumer<FinalizedBlock>> finalizationListeners = new CopyOnWriteArrayList<>();
  private final List<RoleListener> roleListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<Evidence>> evidenceListeners = new CopyOnWriteArrayList<>();
  private final Map<String, LongAdder> rejections = new ConcurrentHashMap<>();
  /**
   * Equivocations reported since start. A count, not the evidence itself: a proposal's evidence holds two
   * signed blocks of up to blockBytesMax each, so the list of up to 1,000 pieces kept before was a heap a
   * Byzantine proposer could fill (two honest validators of the 10-minute lock-large-block-then-silent soak
   * ran out of their 1 GiB heaps holding 33 pieces of ~8 MiB proposals); the evidence log keeps the newest,
   * trimmed, on disk.
   */
  private final LongAdder evidenceReported = new LongAdder();
  private long lastLoggedHeight = -1;
  private int lastLoggedRound = -1;
  private volatile ConsensusObserver observer = ConsensusObserver.NONE;
  /** Consensus thread: the event being stepped (tells a round timeout from a jump) and the round last entered. */
  private DriverEvent stepping;
  private long roundHeight = -1;
  private int round = -1;
  private volatile boolean stopped;
  private volatile Throwable failure;

  public ConsensusDriver(DriverConfig config, ConsensusEngine engine, ChainPort chain, ConsensusNetwork network,
      LongSupplier clockMillis, ConsensusQueue queue) {
    this.chain = Objects.requireNonNull(chain);
    this.network = Objects.requireNonNull(network);
    this.clockMillis = Objects.requireNonNull(clockMillis);
    this.driver = new Driver(config, engine, new View());
    this.queue = Objects.requireNonNull(queue);
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "consensus-timers");
      t.setDaemon(true);
      return t;
    });
    this.thread = new Thread(this::loop, "consensus");
  }

  /** Starts the thread; whether this node takes part or observes follows from the validators at head + 1. */
  public void start(boolean resumeHeight) {
    thread.start();
    enqueue(new DriverEvent.Start(resumeHeight));
  }

  public void onFinalized(Consumer<FinalizedBlock> listener) {
    finalizationListeners.add(listener);
  }

  /** Told, on the consensus thread, of each piece of equivocation evidence (the node persists it). */
  public void onEvidence(Consumer<Evidence> listener) {
    evidenceListeners.add(listener);
  }

  public void onRoleChanged(RoleListener listener) {
    roleListeners.add(listener);
  }

  /** Reports rounds, finalized blocks and equivocations to {@code observer} (one; for metrics). */
  public void observe(ConsensusObserver observer) {
    this.observer = Objects.requireNonNull(observer);
  }

  /** Equivocations reported since start (the pieces of evidence are in the evidence log). */
  public long evidenceCount() {
    return evidenceReported.sum();
  }

  public Map<String, Long> rejectionCounts() {
    Map<String, Long> out = new TreeMap<>();
    rejections.forEach((reason, count) -> out.put(reason, count.sum()));
    return out;
  }

  /** Peers' consensus messages dropped because the inbox was full, both lanes. */
  public long droppedPeerMessages() {
    return queue.droppedPeerMessages();
  }

  /** Peers' PREPAREs and COMMITs (signed by validators) dropped because the vote lane was full: must stay 0. */
  public long droppedConsensusVotes() {
    return queue.droppedConsensusVotes();
  }

  /** Non-null once the consensus thread stopped (a broken invariant, a failed persist): health turns red. */
  public Throwable failure() {
    return failure;
  }

  /** For tests and status: the engine's height and round as last seen by the consensus thread. */
  public String status() {
    return "height=" + driver.engine().height() + " round=" + driver.engine().round() + " pending_height=" + driver.heightPending();
  }

  @Override
  public void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    timers.shutdownNow();
    queue.close(STOP);
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void enqueue(DriverEvent event) {
    try {
      if (!stopped) {
        queue.put(event);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void loop() {
    try {
      for (DriverEvent event = queue.take(); event != STOP; event = queue.take()) {
        Deque<DriverEvent> pending = new ArrayDeque<>(List.of(event));
        while (!pending.isEmpty() && failure == null) {
          stepping = pending.poll();
          for (DriverCommand command : driver.step(stepping, clockMillis.getAsLong())) {
            execute(command, pending);
          }
        }
        if (failure != null) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      // A broken invariant (the engine refusing to equivocate, a failed write) halts consensus instead of limping on.
      failure = e;
      log.error("event=consensus_halted reason=\"{}\"", e.toString(), e);
    }
  }

  /** Carries out one command; answers (and results of build and validation) go to {@code pending}, answers first. */
  private void execute(DriverCommand command, Deque<DriverEvent> pending) {
    switch (command) {
      case DriverCommand.Persist persist -> pending.addFirst(persist(persist));
      case DriverCommand.Broadcast broadcast -> network.broadcast(broadcast.encoded());
      case DriverCommand.ArmTimer arm -> schedule(arm);
      case DriverCommand.BuildBlock build -> pending.add(new DriverEvent.BlockBuilt(
          chain.buildCandidate(build.round(), build.proposer(), build.timestampMillis())));
      case DriverCommand.ValidateBlock validate -> {
        Validation result = chain.validate(validate.block());
        if (!result.isValid()) {
          log.warn("event=proposal_invalid height={} round={} block={} reason=\"{}\"", validate.block().height(),
              validate.block().header().round(), validate.block().hash().shortHex(), result);
        }
        pending.add(new DriverEvent.BlockValidated(validate.block().hash(), result));
      }
      case DriverCommand.Commit commit -> {
        ValidatorSet validators = chain.nextValidators();
        chain.commit(commit.block());
        observer.finalized(commit.block(), validators, true, clockMillis.getAsLong());
        BlockHeader header = commit.block().block().header();
        log.info("event=block_committed height={} hash={} round={} txs={} seals={}", header.height(),
            commit.block().block().hash().shortHex(), header.round(), commit.block().block().transactions().size(),
            commit.block().certificate().seals().size());
        notifyFinalized(commit.block());
        pending.addFirst(new DriverEvent.Committed());
      }
      case DriverCommand.Import imported -> pending.addFirst(new DriverEvent.Imported(importBlock(imported.block())));
      case DriverCommand.ImportFinished finished ->
          queue.completeImport(finished.requestId(), new BlockImporter.ImportResult(finished.committed(), finished.outcome()));
      case DriverCommand.RoleChanged role -> {
        log.info("event=role_changed height={} role={}", role.height(), role.validator() ? "validator" : "observer");
        roleListeners.forEach(listener -> listener.roleChanged(role.height(), role.validator()));
      }
      case DriverCommand.ReportEvidence report -> {
        Evidence e = report.evidence();
        evidenceReported.increment();
        observer.equivocation(e);
        log.warn("event=equivocation validator={} height={} round={} kind={}",
            e.first().author(), e.first().body().height(), e.first().body().round(), e.first().body().kind());
        for (Consumer<Evidence> listener : evidenceListeners) {
          try {
            listener.accept(e);
          } catch (RuntimeException failed) {
            log.warn("event=evidence_listener_failed error=\"{}\"", failed.toString());
          }
        }
      }
      case DriverCommand.Rejected rejected -> {
        rejections.computeIfAbsent(rejected.reason().reason(), r -> new LongAdder()).increment();
        log.debug("event=consensus_input_rejected reason={} detail=\"{}\"", rejected.reason().reason(), rejected.reason().detail());
      }
      case DriverCommand.AlreadyImported already ->
          log.info("event=finalized_already_imported height={} head={}", already.height(), already.headHeight());
      case DriverCommand.Halt halt -> {
        failure = new IllegalStateException(halt.reason());
        log.error("event=consensus_halted reason=\"{}\"", halt.reason());
      }
    }
  }

  private DriverEvent persist(DriverCommand.Persist persist) {
    try {
      chain.saveConsensusState(Bytes.wrap(PersistedStateCodec.encode(persist.state())));
      return new DriverEvent.Persisted();
    } catch (RuntimeException e) {
      return new DriverEvent.PersistFailed(e.toString());
    }
  }

  private Validation importBlock(FinalizedBlock block) {
    ValidatorSet validators = chain.nextValidators();
    Validation outcome = chain.importFinalized(block);
    if (outcome.isValid()) {
      observer.finalized(block, validators, false, clockMillis.getAsLong());
      log.info("event=block_imported height={} hash={} txs={} seals={}", block.block().height(),
          block.block().hash().shortHex(), block.block().transactions().size(), block.certificate().seals().size());
      notifyFinalized(block);
    }
    return outcome;
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

  private void schedule(DriverCommand.ArmTimer arm) {
    if (arm.timer() instanceof DriverTimer.Round timer) {
      noteRound(timer.request().height(), timer.request().round());
    }
    if (arm.timer() instanceof DriverTimer.Round round && round.request().round() > 0
        && (round.request().height() != lastLoggedHeight || round.request().round() != lastLoggedRound)) {
      lastLoggedHeight = round.request().height();
      lastLoggedRound = round.request().round();
      log.info("event=round_change height={} round={} timeout_ms={}", lastLoggedHeight, lastLoggedRound, arm.delayMillis());
    }
    if (!stopped) {
      timers.schedule(() -> enqueue(new DriverEvent.TimerFired(arm.timer())), arm.delayMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Every round the engine enters arms that round's timer, so a timer for a new (height, round) marks the
   * start of a round; the event being stepped tells why (only a fired round timer moves to the next round by
   * timeout; within a height, anything else that raises the round is validators seen ahead).
   */
  private void noteRound(long height, int newRound) {
    if (height == roundHeight && newRound <= round) {
      return; // the same round's timer re-armed (a quorum arrived)
    }
    ConsensusObserver.RoundStart why;
    if (height != roundHeight) {
      why = newRound == 0 ? ConsensusObserver.RoundStart.NEW_HEIGHT : ConsensusObserver.RoundStart.RESUMED;
    } else if (stepping instanceof DriverEvent.TimerFired fired && fired.timer() instanceof DriverTimer.Round) {
      why = ConsensusObserver.RoundStart.TIMEOUT;
    } else {
      why = ConsensusObserver.RoundStart.PEERS_AHEAD;
    }
    roundHeight = height;
    round = newRound;
    observer.roundStarted(height, newRound, why, clockMillis.getAsLong());
  }

  /** The driver's reads: the chain, the mempool through the chain, and the network's reachability hint. */
  private final class View implements DriverView {
    @Override
    public BlockHeader head() {
      return chain.head();
    }

    @Override
    public ValidatorSet nextValidators() {
      return chain.nextValidators();
    }

    @Override
    public boolean hasPendingTransactions() {
      return chain.hasPendingTransactions();
    }

    @Override
    public boolean isReachable(PublicKey validator) {
      return network.isReachable(validator);
    }
  }
}
