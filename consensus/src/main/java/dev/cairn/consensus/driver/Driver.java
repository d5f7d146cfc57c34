package dev.cairn.consensus.driver;

import dev.cairn.consensus.ConsensusEngine;
import dev.cairn.consensus.Effects;
import dev.cairn.consensus.Evidence;
import dev.cairn.consensus.Input;
import dev.cairn.consensus.Preverified;
import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageCodec;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.model.ValidatorSet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The consensus driver of one node as a pure state machine, beside the engine it drives: {@link #step} takes
 * one {@link DriverEvent} and the current time and returns the {@link DriverCommand}s to carry out, in order.
 * No thread, clock, socket or database: the node's consensus thread and the simulator both run this class,
 * and the same events at the same times give the same commands.
 *
 * <p>What it decides: when a height starts (lazily: after a commit, once there is something to order or a
 * peer already works on the next height), when the proposer builds (block period, transactions), the race
 * between importing a peer's finalized block and committing our own, observing versus taking part as the
 * validator set changes, how long a round waits for an unreachable proposer, and the order of effects: the
 * engine's persisted state is written and confirmed durable BEFORE any message of that step is broadcast,
 * and a failed write halts consensus.
 */
public final class Driver {
  /** Events held while an answer is outstanding; the callers answer at once, so a handful at most. */
  static final int DEFERRED_EVENTS_MAX = 100_000;

  /** Deliberate bugs for the simulator's mutation tests; production code never sets one. */
  enum Mutation {
    /** Broadcast a step's messages before its state is persisted. */
    SEND_BEFORE_PERSIST,
    /** Carry on (and send) after a failed persist. */
    IGNORE_FAILED_PERSIST,
    /**
     * Commit a height the chain already has: the engine's finalized block after sync imported that height, or
     * a synced block after our own commit of it (sync lost the race), instead of skipping it.
     */
    COMMIT_IMPORTED_AGAIN
  }

  private enum Awaiting { NOTHING, PERSIST, COMMIT, IMPORT }

  /** One effect of an engine step still to be carried out. */
  private sealed interface Op {
    record Emit(DriverCommand command) implements Op {}

    record Persist(DriverCommand.Persist command) implements Op {}

    record Timer(Effects.TimerRequest request) implements Op {}

    record Build(Effects.BuildBlock build) implements Op {}

    record Finalize(FinalizedBlock block) implements Op {}
  }

  private static final class ImportBatch {
    final long requestId;
    final Deque<FinalizedBlock> remaining;
    final boolean wasActive;
    int committed;

    ImportBatch(long requestId, List<FinalizedBlock> blocks, boolean wasActive) {
      this.requestId = requestId;
      this.remaining = new ArrayDeque<>(blocks);
      this.wasActive = wasActive;
    }
  }

  private final DriverConfig config;
  private final ConsensusEngine engine;
  private final DriverView view;
  private final PublicKey self;
  private final Set<Mutation> mutations;

  private boolean heightPending = true;
  /** An observer follows the chain (imports only) and never starts a height of its own. */
  private boolean observer = true;
  private boolean halted;
  private Effects.BuildBlock pendingBuild;
  /** The round timer the engine asked for last: the one still live (the engine ignores older sequences). */
  private Effects.TimerRequest lastTimer;
  private Awaiting awaiting = Awaiting.NOTHING;
  private ImportBatch importBatch;
  private final Deque<Op> ops = new ArrayDeque<>();
  private final Deque<Input> work = new ArrayDeque<>();
  private final Deque<DriverEvent> deferred = new ArrayDeque<>();
  private long nowMillis;
  /** The head height last seen, and when (our clock): pacing for a parent stamped in our future. */
  private long headSeenHeight = -1;
  private long headSeenAtMillis;
  private List<DriverCommand> out = new ArrayList<>();

  public Driver(DriverConfig config, ConsensusEngine engine, DriverView view) {
    this(config, engine, view, EnumSet.noneOf(Mutation.class));
  }

  Driver(DriverConfig config, ConsensusEngine engine, DriverView view, Set<Mutation> mutations) {
    this.config = Objects.requireNonNull(config);
    this.engine = Objects.requireNonNull(engine);
    this.view = Objects.requireNonNull(view);
    this.self = engine.self();
    this.mutations = Set.copyOf(mutations);
  }

  /**
   * Handles {@code event} at {@code nowMillis} and everything it leads to, up to the first command whose
   * answer is needed; returns the commands to carry out in this order.
   */
  public List<DriverCommand> step(DriverEvent event, long nowMillis) {
    this.nowMillis = nowMillis;
    noteHead();
    out = new ArrayList<>();
    if (halted) {
      return List.of();
    }
    if (awaiting != Awaiting.NOTHING && !answers(event)) {
      if (deferred.size() >= DEFERRED_EVENTS_MAX) {
        throw new IllegalStateException("driver waits for " + awaiting + " and holds " + deferred.size() + " events");
      }
      deferred.add(event);
      return List.of();
    }
    handle(event);
    drain();
    return out;
  }

  public boolean halted() {
    return halted;
  }

  public boolean observer() {
    return observer;
  }

  /** True while no height is in progress (the next one starts lazily). */
  public boolean heightPending() {
    return heightPending;
  }

  public ConsensusEngine engine() {
    return engine;
  }

  private boolean answers(DriverEvent event) {
    return switch (awaiting) {
      case PERSIST -> event instanceof DriverEvent.Persisted || event instanceof DriverEvent.PersistFailed;
      case COMMIT -> event instanceof DriverEvent.Committed;
      case IMPORT -> event instanceof DriverEvent.Imported;
      case NOTHING -> true;
    };
  }

  private void handle(DriverEvent event) {
    switch (event) {
      case DriverEvent.Start start -> onStart(start.resumeHeight());
      case DriverEvent.MessageReceived message -> onPeerMessage(message.bytes());
      case DriverEvent.PreverifiedMessageReceived message -> onPreverifiedMessage(message.message());
      case DriverEvent.TransactionsAvailable available -> {
        maybeStartHeight(true);
        tryBuild();
      }
      case DriverEvent.TimerFired fired -> {
        switch (fired.timer()) {
          case DriverTimer.Round round -> work.add(new Input.TimerFired(round.request()));
          case DriverTimer.BuildTick tick -> tryBuild();
        }
      }
      case DriverEvent.BlockBuilt built -> work.add(new Input.CandidateReady(built.block()));
      case DriverEvent.BlockValidated validated ->
          work.add(new Input.BlockValidated(validated.blockHash(), validated.result()));
      case DriverEvent.PeerLost lost -> onPeerLost();
      case DriverEvent.ImportRequested request -> {
        importBatch = new ImportBatch(request.requestId(), request.blocks(), !heightPending);
        nextImport();
      }
      case DriverEvent.Persisted persisted -> awaiting = Awaiting.NOTHING;
      case DriverEvent.PersistFailed failed -> {
        awaiting = Awaiting.NOTHING;
        if (!mutations.contains(Mutation.IGNORE_FAILED_PERSIST)) {
          halt("persist failed: " + failed.reason());
        }
      }
      case DriverEvent.Committed committed -> {
        awaiting = Awaiting.NOTHING;
        afterCommit();
      }
      case DriverEvent.Imported imported -> {
        awaiting = Awaiting.NOTHING;
        afterImport(imported.outcome());
      }
    }
  }

  /** Carries out queued effects and engine inputs until none is left or an answer is needed. */
  private void drain() {
    while (!halted && awaiting == Awaiting.NOTHING) {
      if (!ops.isEmpty()) {
        run(ops.poll());
      } else if (!work.isEmpty()) {
        queue(engine.step(work.poll()));
      } else if (!deferred.isEmpty()) {
        handle(deferred.poll());
      } else {
        return;
      }
    }
  }

  private void halt(String reason) {
    halted = true;
    ops.clear();
    work.clear();
    deferred.clear();
    out.add(new DriverCommand.Halt(reason));
  }

  // ---- starting heights ----

  private void onStart(boolean resumeHeight) {
    observer = !view.nextValidators().contains(self);
    if (observer) {
      return;
    }
    if (resumeHeight) {
      maybeStartHeight(false);
    } else {
      maybeStartHeight(true);
      tryBuild();
    }
  }

  private void onPeerMessage(Bytes bytes) {
    if (observer) {
      return; // not our height to vote on
    }
    switch (MessageCodec.decode(bytes.unsafeArray())) {
      case MessageCodec.Decoding.Rejected rejected -> reject(rejected.reason());
      case MessageCodec.Decoding.Decoded decoded -> received(decoded.message(), new Input.MessageReceived(decoded.message()));
    }
  }

  /** A peer's message the gossip relay decoded and checked: not decoded again. */
  private void onPreverifiedMessage(Preverified message) {
    if (observer) {
      return; // not our height to vote on
    }
    received(message.message(), new Input.PreverifiedReceived(message));
  }

  private void received(ConsensusMessage message, Input input) {
    if (heightPending && message.height() > view.head().height()) {
      maybeStartHeight(false); // a peer already works on the next height: join it
    }
    work.add(input);
  }

  /** Starts head + 1 if a height is pending and there is reason to: work to do, or peers already at it. */
  private void maybeStartHeight(boolean onlyIfWork) {
    if (!heightPending || observer) {
      return;
    }
    if (onlyIfWork && !config.emptyBlocks() && !view.hasPendingTransactions()) {
      return;
    }
    heightPending = false;
    work.add(new Input.NewHeight(view.head(), view.nextValidators()));
  }

  // ---- engine effects ----

  /** Queues one step's effects in the order the engine requires: persist, send, then the rest. */
  private void queue(Effects effects) {
    List<Op> step = new ArrayList<>();
    effects.persist().ifPresent(state -> step.add(new Op.Persist(new DriverCommand.Persist(state))));
    for (ConsensusMessage message : effects.broadcast()) {
      step.add(new Op.Emit(new DriverCommand.Broadcast(message, Bytes.wrap(MessageCodec.encode(message)))));
    }
    if (mutations.contains(Mutation.SEND_BEFORE_PERSIST) && !step.isEmpty() && step.get(0) instanceof Op.Persist p) {
      step.remove(0);
      step.add(p);
    }
    effects.timers().forEach(timer -> step.add(new Op.Timer(timer)));
    effects.buildBlock().ifPresent(build -> step.add(new Op.Build(build)));
    for (Block block : effects.validate()) {
      step.add(new Op.Emit(new DriverCommand.ValidateBlock(block)));
    }
    effects.finalized().ifPresent(block -> step.add(new Op.Finalize(block)));
    for (Evidence evidence : effects.evidence()) {
      step.add(new Op.Emit(new DriverCommand.ReportEvidence(evidence)));
    }
    for (Validation.Invalid rejected : effects.rejected()) {
      step.add(new Op.Emit(new DriverCommand.Rejected(rejected)));
    }
    ops.addAll(step);
  }

  private void run(Op op) {
    switch (op) {
      case Op.Emit emit -> out.add(emit.command());
      case Op.Persist persist -> {
        out.add(persist.command());
        awaiting = Awaiting.PERSIST;
      }
      case Op.Timer timer -> {
        Effects.TimerRequest request = timer.request();
        long delayMillis = timerDelayMillis(request, view.head().height(), view.nextValidators(), view::isReachable,
            config.unreachableProposerTimeoutMillis());
        out.add(new DriverCommand.ArmTimer(new DriverTimer.Round(request), delayMillis));
        lastTimer = request;
      }
      case Op.Build build -> {
        pendingBuild = build.build();
        tryBuild();
      }
      case Op.Finalize finalize -> commit(finalize.block());
    }
  }

  /**
   * How long to wait before the engine's round timer fires. A round whose proposer has no connection to us
   * (killed, partitioned away) cannot bring a proposal, so waiting out the full timeout only stalls the
   * chain: the wait is capped. This changes when this node asks for a round change, never what the protocol
   * decides: the engine still moves on only with a quorum in the round, and others join a round change only
   * when f+1 validators ask for it, so a node with a bad link cannot push the rest along.
   */
  public static long timerDelayMillis(Effects.TimerRequest timer, long headHeight, ValidatorSet nextValidators,
      Predicate<PublicKey> reachable, long unreachableProposerTimeoutMillis) {
    if (timer.height() != headHeight + 1) {
      return timer.delayMillis();
    }
    PublicKey proposer = nextValidators.proposer(timer.height(), timer.round());
    return reachable.test(proposer) ? timer.delayMillis() : Math.min(timer.delayMillis(), unreachableProposerTimeoutMillis);
  }

  /** Fires the armed round timer early when its proposer just became unreachable. */
  private void onPeerLost() {
    Effects.TimerRequest timer = lastTimer;
    if (timer == null) {
      return;
    }
    long delayMillis = timerDelayMillis(timer, view.head().height(), view.nextValidators(), view::isReachable,
        config.unreachableProposerTimeoutMillis());
    if (delayMillis < timer.delayMillis()) {
      // The same request (same sequence): whichever firing comes second finds it stale and does nothing.
      out.add(new DriverCommand.ArmTimer(new DriverTimer.Round(timer), delayMillis));
    }
  }

  /**
   * Builds the candidate the engine asked for once the block period since the parent has passed, and (for
   * round 0 without empty blocks) once there is a transaction. Later rounds always propose something, even
   * an empty block, so that a height that started can finish.
   */
  private void tryBuild() {
    Effects.BuildBlock build = pendingBuild;
    if (build == null || build.height() != engine.height() || build.round() != engine.round()) {
      return;
    }
    noteHead();
    long earliest = view.head().timestampMillis() + config.blockPeriodMillis();
    if (view.head().timestampMillis() > headSeenAtMillis) {
      // The parent is stamped in our future (its proposer's clock runs ahead of ours). Waiting for our clock
      // to reach that stamp would hold every honest proposer, and so the chain, for as long as the skew (the
      // chaos campaign's clock-ahead run: a validator 30 s ahead stalled the chain for ~20 s at each of its
      // blocks). Pace from when we saw the parent instead; the candidate's timestamp is still raised to the
      // parent's when building, so timestamps never decrease.
      earliest = headSeenAtMillis + config.blockPeriodMillis();
    }
    if (nowMillis < earliest) {
      out.add(new DriverCommand.ArmTimer(new DriverTimer.BuildTick(), earliest - nowMillis));
      return;
    }
    if (build.round() == 0 && !config.emptyBlocks() && !view.hasPendingTransactions()) {
      return; // TransactionsAvailable brings us back
    }
    pendingBuild = null;
    out.add(new DriverCommand.BuildBlock(build.height(), build.round(), self, nowMillis));
  }

  private void noteHead() {
    long height = view.head().height();
    if (height != headSeenHeight) {
      headSeenHeight = height;
      headSeenAtMillis = nowMillis;
    }
  }

  // ---- commit and import ----

  private void commit(FinalizedBlock finalized) {
    long head = view.head().height();
    if (finalized.height() != head + 1 && !mutations.contains(Mutation.COMMIT_IMPORTED_AGAIN)) {
      // Sync already committed this height (a block with a quorum certificate, hence the same block).
      out.add(new DriverCommand.AlreadyImported(finalized.height(), head));
      return;
    }
    out.add(new DriverCommand.Commit(finalized));
    awaiting = Awaiting.COMMIT;
  }

  private void afterCommit() {
    pendingBuild = null;
    heightPending = true;
    followRole();
    if (config.emptyBlocks() || view.hasPendingTransactions()) {
      heightPending = false;
      work.add(new Input.NewHeight(view.head(), view.nextValidators()));
    }
  }

  /** Skips blocks at or below the head; each other block must be the next one and import cleanly. */
  private void nextImport() {
    ImportBatch batch = importBatch;
    while (!batch.remaining.isEmpty()) {
      FinalizedBlock block = batch.remaining.poll();
      if (block.height() > view.head().height() || mutations.contains(Mutation.COMMIT_IMPORTED_AGAIN)) {
        out.add(new DriverCommand.Import(block));
        awaiting = Awaiting.IMPORT;
        return;
      }
    }
    finishImport(Validation.VALID);
  }

  private void afterImport(Validation outcome) {
    if (!outcome.isValid()) {
      finishImport(outcome);
      return;
    }
    importBatch.committed++;
    followRole();
    nextImport();
  }

  private void finishImport(Validation outcome) {
    ImportBatch batch = importBatch;
    importBatch = null;
    out.add(new DriverCommand.ImportFinished(batch.requestId, batch.committed, outcome));
    if (batch.committed > 0) {
      // Whatever the engine was doing at an older height is moot: move it to head + 1 at once if it was busy
      // (its old round timers would otherwise keep re-sending votes nobody needs), else lazily as usual.
      pendingBuild = null;
      heightPending = true;
      if (batch.wasActive || config.emptyBlocks() || view.hasPendingTransactions()) {
        maybeStartHeight(false);
      }
    }
  }

  /** After every new head: a vote added or removed this node; it starts or stops taking part. */
  private void followRole() {
    boolean nowValidator = view.nextValidators().contains(self);
    if (nowValidator == !observer) {
      return;
    }
    observer = !nowValidator;
    out.add(new DriverCommand.RoleChanged(view.head().height(), nowValidator));
  }

  private void reject(Validation validation) {
    if (validation instanceof Validation.Invalid invalid) {
      out.add(new DriverCommand.Rejected(invalid));
    }
  }
}
