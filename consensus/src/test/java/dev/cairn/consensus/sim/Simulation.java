package dev.cairn.consensus.sim;

import dev.cairn.consensus.ConsensusEngine;
import dev.cairn.consensus.PersistedState;
import dev.cairn.consensus.PersistedStateCodec;
import dev.cairn.consensus.UnsafeEngines;
import dev.cairn.consensus.driver.Driver;
import dev.cairn.consensus.driver.DriverCommand;
import dev.cairn.consensus.driver.DriverConfig;
import dev.cairn.consensus.driver.DriverEvent;
import dev.cairn.consensus.driver.DriverTimer;
import dev.cairn.consensus.driver.DriverView;
import dev.cairn.consensus.driver.UnsafeDrivers;
import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageCodec;
import dev.cairn.consensus.message.MessageKind;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.model.ValidatorSet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * One deterministic run of n validators, each the production consensus path: the engine inside the
 * {@link Driver}, whose commands this class carries out the way the node's consensus thread does, against
 * simulated parts: a clock (a priority queue of events), a network (delay, drop, duplicate, reorder,
 * partitions; every message travels in its MessageCodec wire form and is decoded by the receiving driver), a
 * data dir per node (commits are synced batches; the consensus state is written, then fsynced a millisecond
 * later, and a crash before that loses it; an fsync may fail), block building and execution, transactions
 * arriving (lazy heights), block gossip and a block sync that ask peers ahead for batches and import them
 * through the driver. The network misbehaves until GST and is reliable after it; honest validators crash and
 * restart from their disks (or from an empty one); Byzantine validators run the same driver behind a
 * misbehaving outbox. Everything random comes from one seeded SplittableRandom: a seed replays a run.
 */
public final class Simulation {
  /** Events processed before a run is declared stuck (a livelock would otherwise never end). */
  static final long EVENTS_MAX = 5_000_000;
  /** Blocks one sync response carries (the node's BlockSync.BLOCKS_PER_REQUEST_MAX). */
  static final int SYNC_BLOCKS_MAX = 64;
  /** How often a node compares its head with its peers' (the node's BlockSync tick). */
  static final long SYNC_TICK_MILLIS = 1_000;
  /** A validator one block behind waits this long for its own commit before it syncs (the node's grace). */
  static final long VALIDATOR_LAG_GRACE_MILLIS = 3_000;
  /** A sync request without an answer for this long is given up (the peer crashed). */
  static final long SYNC_REQUEST_TIMEOUT_MILLIS = 5_000;
  /** The block period the simulated validators build at. */
  static final long BLOCK_PERIOD_MILLIS = 1;
  /** The fsync of a consensus-state write completes this long after the write. */
  static final long FSYNC_MILLIS = 1;
  private static final Map<Integer, KeyPair> KEYS = new HashMap<>();

  private final Scenario scenario;
  private final Scenario.Driving driving;
  private final long seed;
  private final SplittableRandom random;
  private final List<SimNode> nodes = new ArrayList<>();
  private final Map<PublicKey, SimNode> byKey = new HashMap<>();
  private final ValidatorSet validators;
  private final ValidatorSet reducedValidators;
  private final BlockHeader genesis;
  private final List<FinalizedBlock> prefix;
  private final ByzantineOutbox outbox;
  private final CachingVerifier verifier = new CachingVerifier();
  private final InvariantChecker checker = new InvariantChecker(verifier);
  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private final List<String> trace;
  private final List<Partition> partitions = new ArrayList<>();
  /** When the first honest node could start each height, and when the last honest node reached it. */
  final Map<Long, Long> firstStartByHeight = new HashMap<>();
  final Map<Long, Long> lastFinalizedByHeight = new HashMap<>();
  /** The height every honest validator must reach; a wiped validator's restart raises it (it must rejoin). */
  private long targetHeight;
  private long now;
  private long sequence;
  private long events;
  private int evidence;
  private int halts;
  private long importIds;
  private int maxRoundAfterGst;
  private long lastProgressAfterGst;
  private long maxStallAfterGstMillis;
  /** Messages the simulated wire refused as larger than the chain's message limit. */
  long oversizeDropped;
  /** Proposals honest validators sent that re-propose a locked block (with its certificate). */
  long lockedReProposals;

  private record Partition(long fromMillis, long untilMillis, boolean[] side) {}

  private sealed interface Action {}

  private record Deliver(SimNode to, Bytes bytes) implements Action {}

  private record Post(SimNode node, int incarnation, DriverEvent event) implements Action {}

  private record FsyncDone(SimNode node, int incarnation, PersistedState state, boolean ok) implements Action {}

  private record Crash(SimNode node, boolean wipe) implements Action {}

  private record Restart(SimNode node) implements Action {}

  private record PartitionStarts() implements Action {}

  private record SyncTick(SimNode node, int incarnation) implements Action {}

  private record SyncResponse(SimNode node, int incarnation, List<FinalizedBlock> blocks) implements Action {}

  private record GossipedBlock(SimNode to, FinalizedBlock block) implements Action {}

  private record TransactionArrives(SimNode node, boolean gossip) implements Action {}

  private record Event(long time, long sequence, Action action) implements Comparable<Event> {
    @Override
    public int compareTo(Event other) {
      int byTime = Long.compare(time, other.time);
      return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
  }

  public Simulation(Scenario scenario, long seed, boolean recordTrace) {
    this.scenario = scenario;
    this.driving = scenario.driving();
    this.seed = seed;
    this.random = new SplittableRandom(seed);
    this.trace = recordTrace ? new ArrayList<>() : null;
    List<PublicKey> keys = new ArrayList<>();
    List<KeyPair> pairs = new ArrayList<>();
    for (int i = 0; i < scenario.validators(); i++) {
      KeyPair key = key(i);
      pairs.add(key);
      keys.add(key.publicKey());
    }
    this.validators = new ValidatorSet(keys);
    this.reducedValidators = keys.size() > 1 ? validators.without(keys.get(keys.size() - 1)) : validators;
    this.genesis = SimBlocks.genesis(validators).header();
    this.prefix = driving.prefixHeights() > 0
        ? SimPrefix.of(validators, pairs, driving.laggingNode(), driving.prefixHeights()) : List.of();
    boolean[] byzantine = pickByzantine();
    for (int i = 0; i < pairs.size(); i++) {
      Behaviour behaviour = Behaviour.HONEST;
      if (byzantine[i]) {
        if (scenario.attacker().isPresent()) {
          behaviour = scenario.attacker().get();
        } else {
          behaviour = scenario.coalition()
              ? Behaviour.FORK_COALITION
              : Behaviour.WITHIN_F[random.nextInt(Behaviour.WITHIN_F.length)];
        }
      }
      SimNode node = new SimNode(i, pairs.get(i), behaviour, genesis);
      if (i != driving.laggingNode() && !prefix.isEmpty()) {
        node.chain.addAll(prefix);
        node.head = prefix.get(prefix.size() - 1).block().header();
      }
      nodes.add(node);
      byKey.put(node.key.publicKey(), node);
    }
    this.outbox = new ByzantineOutbox(random.split(), nodes);
  }

  private static synchronized KeyPair key(int index) {
    return KEYS.computeIfAbsent(index, i -> KeyPair.fromSeedText("cairn-sim-validator-" + i));
  }

  private boolean[] pickByzantine() {
    boolean[] byzantine = new boolean[scenario.validators()];
    int chosen = 0;
    while (chosen < scenario.byzantine()) {
      int i = random.nextInt(byzantine.length);
      if (!byzantine[i]) {
        byzantine[i] = true;
        chosen++;
      }
    }
    return byzantine;
  }

  /**
   * The validator set of each height, as the node would read it from the state after the parent block. With
   * {@code reconfigure}, the last validator is out of the set at every third height.
   */
  ValidatorSet validatorsFor(long height) {
    return scenario.reconfigure() && height % 3 == 0 ? reducedValidators : validators;
  }

  public SimResult run() {
    now = prefix.isEmpty() ? 0 : prefix.get(prefix.size() - 1).block().header().timestampMillis();
    long start = now;
    targetHeight = scenario.targetHeight();
    scheduleFaults(start);
    for (SimNode node : nodes) {
      start(node);
    }
    if (!driving.emptyBlocks()) {
      schedule(now + 1, new TransactionArrives(nodes.get(random.nextInt(nodes.size())), true));
    }
    long deadline = start + scenario.gstMillis() + scenario.livenessBudgetMillis();
    while (!queue.isEmpty() && !allHonestReached() && checker.violations.isEmpty()) {
      Event event = queue.poll();
      if (event.time() > deadline) {
        now = deadline;
        break;
      }
      now = event.time();
      if (++events > EVENTS_MAX) {
        checker.violation("liveness: more than " + EVENTS_MAX + " events");
        break;
      }
      handle(event.action());
      trackStall();
    }
    if (checker.violations.isEmpty() && maxStallAfterGstMillis > scenario.stallBoundMillis()) {
      checker.violation("liveness: after GST no honest validator finalized for " + maxStallAfterGstMillis
          + " ms, bound " + scenario.stallBoundMillis());
    }
    if (checker.violations.isEmpty() && !allHonestReached()) {
      checker.violation("liveness: at t=" + now + " (GST " + scenario.gstMillis() + ") honest heights "
          + honestHeights() + ", wanted " + targetHeight);
    }
    checkChains();
    return new SimResult(scenario.name(), scenario.heights(), seed, List.copyOf(checker.violations), minHonestHeight(), now, events,
        maxRoundAfterGst, evidence, maxStallAfterGstMillis, trace == null ? List.of() : List.copyOf(trace));
  }

  /** Honest validators that halted on a failed fsync in this run (for the tests). */
  int halts() {
    return halts;
  }

  // ---- faults ----

  private void scheduleFaults(long start) {
    long gst = start + scenario.gstMillis();
    if (driving.isolatedNode() >= 0) {
      boolean[] side = new boolean[nodes.size()];
      side[driving.isolatedNode()] = true;
      partition(start, gst, side);
    }
    if (driving.wipedNode() >= 0) {
      long at = start + 2_000 + random.nextLong(8_000);
      schedule(at, new Crash(nodes.get(driving.wipedNode()), true));
      schedule(at + 5_000 + random.nextLong(5_000), new Restart(nodes.get(driving.wipedNode())));
    }
    if (scenario.gstMillis() <= 0) {
      for (int index : scenario.crashedForever()) {
        schedule(start, new Crash(nodes.get(index), false));
      }
      return;
    }
    if (scenario.partitions()) {
      int count = 1 + random.nextInt(3);
      for (int i = 0; i < count; i++) {
        long from = random.nextLong(scenario.gstMillis());
        long until = Math.min(scenario.gstMillis(), from + 1 + random.nextLong(scenario.gstMillis() / 2));
        boolean[] side = new boolean[nodes.size()];
        for (int j = 0; j < side.length; j++) {
          side[j] = random.nextBoolean();
        }
        partition(start + from, start + until, side);
      }
    }
    if (scenario.crashes()) {
      for (SimNode node : nodes) {
        if (node.honest() && node.index != driving.wipedNode() && random.nextInt(3) == 0) {
          long at = random.nextLong(scenario.gstMillis());
          schedule(start + at, new Crash(node, false));
          schedule(start + Math.min(scenario.gstMillis(), at + 1 + random.nextLong(scenario.gstMillis() / 3)), new Restart(node));
        }
      }
    }
  }

  /** Adds a partition (before run): nodes on different sides cannot talk from {@code from} until {@code until}. */
  void partition(long from, long until, boolean[] side) {
    partitions.add(new Partition(from, until, side.clone()));
    schedule(from, new PartitionStarts());
  }

  private boolean connected(SimNode a, SimNode b) {
    for (Partition partition : partitions) {
      if (now >= partition.fromMillis() && now < partition.untilMillis()
          && partition.side()[a.index] != partition.side()[b.index]) {
        return false;
      }
    }
    return true;
  }

  private boolean beforeGst() {
    return now < gstTime();
  }

  // ---- running drivers ----

  private void start(SimNode node) {
    node.incarnation++;
    node.crashed = false;
    node.syncInFlight = false;
    node.behindSinceMillis = -1;
    // As Node.assemble: the persisted state counts only for the height after the head.
    Optional<PersistedState> restored = Optional.ofNullable(node.durableBytes)
        .map(bytes -> PersistedStateCodec.decode(bytes.unsafeArray()))
        .filter(state -> state.height() == node.head.height() + 1);
    ConsensusEngine engine = scenario.unlocked()
        ? UnsafeEngines.withoutLock(scenario.config(), node.key, verifier, restored)
        : new ConsensusEngine(scenario.config(), node.key, verifier, restored);
    DriverConfig config = new DriverConfig(BLOCK_PERIOD_MILLIS, driving.emptyBlocks(), driving.unreachableProposerTimeoutMillis());
    node.driver = UnsafeDrivers.create(config, engine, new View(node), driving.bug());
    noteStart(node);
    schedule(now + 1 + random.nextLong(SYNC_TICK_MILLIS), new SyncTick(node, node.incarnation));
    post(node, new DriverEvent.Start(restored.isPresent()));
  }

  private void handle(Action action) {
    switch (action) {
      case Deliver d -> {
        if (alive(d.to())) {
          post(d.to(), new DriverEvent.MessageReceived(d.bytes()));
        }
      }
      case Post p -> {
        if (current(p.node(), p.incarnation())) {
          post(p.node(), p.event());
        }
      }
      case FsyncDone f -> {
        if (current(f.node(), f.incarnation())) {
          fsyncDone(f.node(), f.state(), f.ok());
        }
      }
      case Crash c -> crash(c.node(), c.wipe());
      case Restart r -> {
        if (r.node().wipedAtHeight > 0 && !othersPast(r.node(), r.node().wipedAtHeight)) {
          schedule(now + SYNC_TICK_MILLIS, r); // the operator waits until the network is past that height
        } else if (r.node().crashed && !scenario.crashedForever().contains(r.node().index)) {
          if (r.node().wipedAtHeight > 0) {
            checker.forgetBelow(r.node(), minHonestHeadOfOthers(r.node()));
            // Done only once it has synced from genesis and then finalized three heights with the others.
            targetHeight = Math.max(targetHeight, maxHonestHead() + 3);
            r.node().wipedAtHeight = 0;
          }
          note(r.node() + " restarts at height " + (r.node().head.height() + 1));
          start(r.node());
        }
      }
      case PartitionStarts p -> nodes.stream().filter(this::alive).forEach(n -> post(n, new DriverEvent.PeerLost()));
      case SyncTick t -> {
        if (current(t.node(), t.incarnation())) {
          syncTick(t.node());
          schedule(now + SYNC_TICK_MILLIS, new SyncTick(t.node(), t.incarnation()));
        }
      }
      case SyncResponse s -> {
        if (current(s.node(), s.incarnation())) {
          post(s.node(), new DriverEvent.ImportRequested(++importIds, s.blocks()));
        }
      }
      case GossipedBlock g -> onGossipedBlock(g.to(), g.block());
      case TransactionArrives t -> transactionArrives(t.node(), t.gossip());
    }
  }

  private void crash(SimNode node, boolean wipe) {
    if (!node.crashed) {
      note(node + " crashes at height " + (node.head.height() + 1) + (wipe ? " and loses its data dir" : ""));
      node.crashed = true;
      node.driver = null;
      node.incarnation++;
      node.unsynced = null; // never fsynced: gone
      node.pendingTransactions = false;
      if (wipe) {
        node.wipedAtHeight = node.head.height() + 1;
        node.chain.clear();
        node.head = genesis;
        node.durable = null;
        node.durableBytes = null;
      }
      for (SimNode peer : nodes) {
        if (peer != node && alive(peer)) {
          post(peer, new DriverEvent.PeerLost());
        }
      }
    }
  }

  /** Whether every other honest validator has finalized {@code height}. */
  private boolean othersPast(SimNode node, long height) {
    return minHonestHeadOfOthers(node) >= height;
  }

  private long minHonestHeadOfOthers(SimNode node) {
    long min = Long.MAX_VALUE;
    for (SimNode other : nodes) {
      if (other != node && other.honest()) {
        min = Math.min(min, other.head.height());
      }
    }
    return min;
  }

  private boolean alive(SimNode node) {
    return !node.crashed && node.driver != null;
  }

  private boolean current(SimNode node, int incarnation) {
    return alive(node) && node.incarnation == incarnation;
  }

  /** Steps the node's driver with {@code first} and carries out the commands, as the consensus thread does. */
  private void post(SimNode node, DriverEvent first) {
    Deque<DriverEvent> pending = new ArrayDeque<>();
    pending.add(first);
    int incarnation = node.incarnation;
    while (!pending.isEmpty() && current(node, incarnation) && checker.violations.isEmpty()) {
      List<DriverCommand> commands;
      try {
        commands = node.driver.step(pending.poll(), now);
      } catch (RuntimeException e) {
        checker.violation("halted: t=" + now + " " + node + " driver threw " + e);
        return;
      }
      if (node.honest() && node.driver.engine().storedBlocks() > scenario.storedBlocksMax()) {
        checker.violation("memory: t=" + now + " " + node + " holds " + node.driver.engine().storedBlocks()
            + " blocks, bound " + scenario.storedBlocksMax());
      }
      for (DriverCommand command : commands) {
        if (current(node, incarnation)) {
          execute(node, command, pending);
        }
      }
    }
    if (alive(node)) {
      traceRound(node);
    }
  }

  private void execute(SimNode node, DriverCommand command, Deque<DriverEvent> pending) {
    switch (command) {
      case DriverCommand.Persist persist -> persist(node, persist.state());
      case DriverCommand.Broadcast broadcast -> broadcast(node, broadcast);
      case DriverCommand.ArmTimer arm -> schedule(now + arm.delayMillis(),
          new Post(node, node.incarnation, new DriverEvent.TimerFired(arm.timer())));
      case DriverCommand.BuildBlock build -> {
        boolean valid = node.behaviour != Behaviour.INVALID_BLOCK_VOTER;
        Block block = scenario.blockBytes() > 0
            ? SimBlocks.buildFilled(node.head, validatorsFor(node.head.height() + 1), build.proposer(), build.round(),
                build.timestampMillis(), valid, scenario.blockBytes())
            : SimBlocks.build(node.head, validatorsFor(node.head.height() + 1), build.proposer(), build.round(),
                build.timestampMillis(), 0, valid);
        schedule(now + 1 + random.nextInt(5), new Post(node, node.incarnation, new DriverEvent.BlockBuilt(block)));
      }
      case DriverCommand.ValidateBlock validate -> {
        Block block = validate.block();
        Validation result = node.behaviour == Behaviour.INVALID_BLOCK_VOTER
            ? Validation.VALID
            : SimBlocks.execute(block, node.head, validatorsFor(node.head.height() + 1));
        schedule(now + 1 + random.nextInt(5),
            new Post(node, node.incarnation, new DriverEvent.BlockValidated(block.hash(), result)));
      }
      case DriverCommand.Commit commit -> {
        commit(node, commit.block(), false);
        pending.addFirst(new DriverEvent.Committed());
      }
      case DriverCommand.Import imported -> pending.addFirst(new DriverEvent.Imported(importBlock(node, imported.block())));
      case DriverCommand.ImportFinished finished -> {
        node.syncInFlight = false;
        if (finished.committed() > 0) {
          syncTick(node); // still behind: the next batch at once
        }
      }
      case DriverCommand.ReportEvidence report -> {
        evidence++;
        checker.onEvidence(node, report.evidence(), byKey, now);
      }
      case DriverCommand.Halt halt -> {
        note(node + " halts: " + halt.reason());
        if (node.honest()) {
          halts++;
        }
        crash(node, false);
        // The operator restarts it (before GST, so that the liveness phase has every honest validator).
        long gst = gstTime();
        schedule(now < gst ? Math.min(gst, now + 500 + random.nextLong(3_000)) : now + 500, new Restart(node));
      }
      case DriverCommand.RoleChanged role -> note(node + " now " + (role.validator() ? "validator" : "observer"));
      case DriverCommand.Rejected rejected -> { }
      case DriverCommand.AlreadyImported already -> note(node + " finalized height " + already.height() + " already imported");
    }
  }

  private void traceRound(SimNode node) {
    int round = node.driver.engine().round();
    if (round != node.traceRound) {
      node.traceRound = round;
      note(node + " height " + node.driver.engine().height() + " round " + round);
    }
    if (!beforeGst()) {
      maxRoundAfterGst = Math.max(maxRoundAfterGst, round);
    }
  }

  // ---- the data dir ----

  /** The write happens now; its fsync completes (or fails) a moment later. A crash in between loses it. */
  private void persist(SimNode node, PersistedState state) {
    node.unsynced = state;
    boolean ok = !(beforeGst() && random.nextDouble() < driving.fsyncFailRate());
    schedule(now + FSYNC_MILLIS, new FsyncDone(node, node.incarnation, state, ok));
  }

  private void fsyncDone(SimNode node, PersistedState state, boolean ok) {
    if (ok) {
      node.durable = state;
      node.durableBytes = Bytes.wrap(PersistedStateCodec.encode(state));
      node.unsynced = null;
      post(node, new DriverEvent.Persisted());
    } else {
      note(node + " fsync fails");
      post(node, new DriverEvent.PersistFailed("simulated fsync failure"));
    }
  }

  /** A commit is one synced batch: durable at once. Only ever the next height on the head. */
  private void commit(SimNode node, FinalizedBlock finalized, boolean imported) {
    BlockHeader parent = node.head;
    if (finalized.height() != parent.height() + 1 || !finalized.block().header().parentHash().equals(parent.hash())) {
      checker.violation("chain: t=" + now + " " + node + " commits height " + finalized.height() + " on its head "
          + parent.height() + (finalized.height() <= parent.height() ? " (a height it already has)" : ""));
      return;
    }
    checker.onFinalized(node, finalized, parent, validatorsFor(finalized.height()), now);
    node.chain.add(finalized);
    node.head = finalized.block().header();
    node.pendingTransactions = false;
    node.behindSinceMillis = -1;
    noteStart(node);
    note(node + (imported ? " imported" : " finalized") + " height " + finalized.height() + " block "
        + finalized.block().hash().shortHex());
    if (node.honest()) {
      lastFinalizedByHeight.merge(finalized.height(), now, Math::max);
      if (!beforeGst()) {
        lastProgressAfterGst = now;
      }
    }
    // As the node's finalization listener: a validator gossips the blocks it proposed.
    if (!imported && finalized.block().header().proposer().equals(node.key.publicKey())
        && validatorsFor(node.head.height() + 1).contains(node.key.publicKey())) {
      for (SimNode to : nodes) {
        if (to != node && (!beforeGst() || (connected(node, to) && random.nextDouble() >= scenario.dropRate()))) {
          schedule(now + delay(), new GossipedBlock(to, finalized));
        }
      }
    }
  }

  /**
   * What LocalChain.importFinalized checks: the link to the head, the certificate, the execution. The driver
   * skips heights the chain already has; asking to commit one again breaks its contract with the chain.
   */
  private Validation importBlock(SimNode node, FinalizedBlock block) {
    if (block.height() <= node.head.height()) {
      checker.violation("chain: t=" + now + " " + node + " imports height " + block.height() + " on its head "
          + node.head.height() + " (a height it already has)");
      return Validation.invalid("sync_not_next_height", "already committed");
    }
    if (block.height() != node.head.height() + 1 || !block.block().header().parentHash().equals(node.head.hash())) {
      return Validation.invalid("not_next_block", "block " + block.height() + " on head " + node.head.height());
    }
    Validation certificate = checker.certificateValidity(block, validatorsFor(block.height()));
    if (!certificate.isValid()) {
      return certificate;
    }
    Validation executes = SimBlocks.execute(block.block(), node.head, validatorsFor(block.height()));
    if (!executes.isValid()) {
      return executes;
    }
    commit(node, block, true);
    return Validation.VALID;
  }

  private void noteStart(SimNode node) {
    if (node.honest()) {
      firstStartByHeight.merge(node.head.height() + 1, now, Math::min);
    }
  }

  // ---- network ----

  private void broadcast(SimNode from, DriverCommand.Broadcast broadcast) {
    ConsensusMessage message = broadcast.message();
    if (message.author().equals(from.key.publicKey())) {
      verifier.learnOwn(message.signed());
    }
    if (from.honest()) {
      checkOwnMessage(from, message, broadcast.encoded());
      if (message.kind() == MessageKind.PROPOSAL && message.prepared().isPresent()) {
        lockedReProposals++;
      }
    }
    for (SimNode to : nodes) {
      if (to == from) {
        continue;
      }
      for (ConsensusMessage sent : outbox.messagesFor(from, to, message)) {
        send(from, to, sent.kind(), sent == message ? broadcast.encoded() : Bytes.wrap(MessageCodec.encode(sent)));
      }
      if (from.behaviour == Behaviour.GARBAGE && random.nextInt(2) == 0) {
        send(from, to, MessageKind.PROPOSAL, garbage(message));
      }
    }
  }

  /**
   * What an honest validator sends: signed by itself, never two different messages for one slot, within the
   * wire size limit, and on disk before it leaves (persist before send).
   */
  private void checkOwnMessage(SimNode node, ConsensusMessage message, Bytes encoded) {
    checker.onOwnMessage(node, message.signed(), now);
    if (encoded.size() > MessageCodec.MESSAGE_BYTES_MAX) {
      checker.violation("size: t=" + now + " " + node + " sent " + encoded.size() + " bytes, limit " + MessageCodec.MESSAGE_BYTES_MAX);
    }
    PersistedState durable = node.durable;
    boolean onDisk = durable != null && durable.height() == message.height()
        && durable.ownMessages().stream().anyMatch(own -> own.signed().equals(message.signed()));
    if (!onDisk) {
      checker.violation("durability: t=" + now + " " + node + " sent its " + message.kind() + " at height "
          + message.height() + " round " + message.round() + " before it was on disk");
    }
  }

  private void send(SimNode from, SimNode to, MessageKind kind, Bytes bytes) {
    double dropRate = kind == MessageKind.COMMIT ? scenario.commitDropRate() : scenario.dropRate();
    if (beforeGst() && (!connected(from, to) || random.nextDouble() < dropRate)) {
      return;
    }
    if (!beforeGst() && !connected(from, to)) {
      return;
    }
    int copies = random.nextDouble() < scenario.duplicateRate() ? 2 : 1;
    // With blocks at a chain limit, the wire refuses what exceeds the message limit derived from it (as the
    // node's gossip limit is, NetworkLimits).
    if (scenario.blockBytes() > 0 && bytes.size() > MessageCodec.messageBytesMax(scenario.blockBytes())) {
      oversizeDropped++;
      note("dropped oversize " + kind + " of " + bytes.size() + " bytes");
      return;
    }
    for (int i = 0; i < copies; i++) {
      schedule(now + delay(), new Deliver(to, bytes));
    }
  }

  /** Random bytes, or the message's encoding with flipped bits or cut short. */
  private Bytes garbage(ConsensusMessage message) {
    byte[] bytes = MessageCodec.encode(message);
    switch (random.nextInt(3)) {
      case 0 -> {
        byte[] noise = new byte[1 + random.nextInt(300)];
        random.nextBytes(noise);
        return Bytes.wrap(noise);
      }
      case 1 -> {
        for (int i = 0; i < 1 + random.nextInt(4); i++) {
          bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return Bytes.wrap(bytes);
      }
      default -> {
        return Bytes.wrap(java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length)));
      }
    }
  }

  private long delay() {
    long max = beforeGst() ? scenario.delayMaxMillis() : scenario.delayAfterGstMaxMillis();
    return 1 + random.nextLong(max);
  }

  /** Transactions reach one node and spread by gossip; the next arrival is scheduled while the run goes on. */
  private void transactionArrives(SimNode node, boolean gossip) {
    if (gossip) {
      for (SimNode to : nodes) {
        if (to != node && (!beforeGst() || connected(node, to))) {
          schedule(now + delay(), new TransactionArrives(to, false));
        }
      }
      schedule(now + 1 + random.nextLong(300), new TransactionArrives(nodes.get(random.nextInt(nodes.size())), true));
    }
    if (alive(node)) {
      node.pendingTransactions = true;
      post(node, new DriverEvent.TransactionsAvailable());
    }
  }

  // ---- block gossip and sync (the node's P2pNetwork and BlockSync) ----

  /** An observer (or, racing its own commit, a validator of the race scenario) imports the next block at once. */
  private void onGossipedBlock(SimNode node, FinalizedBlock block) {
    if (alive(node) && block.height() == node.head.height() + 1 && (driving.importGossip() || node.driver.observer())) {
      post(node, new DriverEvent.ImportRequested(++importIds, List.of(block)));
    }
  }

  /**
   * Asks the peer furthest ahead for the next batch when this node is two or more blocks behind, or one
   * block behind for longer than the grace (a validator is usually just about to commit it itself).
   */
  private void syncTick(SimNode node) {
    if (node.syncInFlight && now - node.syncRequestedMillis < SYNC_REQUEST_TIMEOUT_MILLIS) {
      return;
    }
    node.syncInFlight = false;
    SimNode best = null;
    for (SimNode peer : nodes) {
      if (peer != node && alive(peer) && connected(node, peer) && (best == null || peer.head.height() > best.head.height())) {
        best = peer;
      }
    }
    long head = node.head.height();
    if (best == null || best.head.height() <= head) {
      node.behindSinceMillis = -1;
      return;
    }
    if (best.head.height() == head + 1) {
      long grace = node.driver.observer() ? 0 : VALIDATOR_LAG_GRACE_MILLIS;
      if (node.behindSinceMillis < 0) {
        node.behindSinceMillis = now;
      }
      if (now - node.behindSinceMillis < grace) {
        return;
      }
    }
    int from = (int) head; // chain index of height head + 1
    int until = (int) Math.min(best.chain.size(), from + SYNC_BLOCKS_MAX);
    node.syncInFlight = true;
    node.syncRequestedMillis = now;
    schedule(now + delay() * 2, new SyncResponse(node, node.incarnation, List.copyOf(best.chain.subList(from, until))));
  }

  // ---- bookkeeping ----

  private void schedule(long time, Action action) {
    queue.add(new Event(time, sequence++, action));
  }

  private void trackStall() {
    if (beforeGst()) {
      return;
    }
    if (lastProgressAfterGst < gstTime()) {
      lastProgressAfterGst = gstTime();
    }
    maxStallAfterGstMillis = Math.max(maxStallAfterGstMillis, now - lastProgressAfterGst);
  }

  private long gstTime() {
    return scenario.gstMillis() + (prefix.isEmpty() ? 0 : prefix.get(prefix.size() - 1).block().header().timestampMillis());
  }

  private boolean allHonestReached() {
    for (SimNode node : nodes) {
      if (node.honest() && !scenario.crashedForever().contains(node.index) && node.head.height() < targetHeight) {
        return false;
      }
    }
    return true;
  }

  private long maxHonestHead() {
    return nodes.stream().filter(SimNode::honest).mapToLong(n -> n.head.height()).max().orElse(0);
  }

  private long minHonestHeight() {
    long min = Long.MAX_VALUE;
    for (SimNode node : nodes) {
      if (node.honest() && !scenario.crashedForever().contains(node.index)) {
        min = Math.min(min, node.head.height());
      }
    }
    return min == Long.MAX_VALUE ? 0 : min;
  }

  private List<Long> honestHeights() {
    List<Long> heights = new ArrayList<>();
    for (SimNode node : nodes) {
      if (node.honest()) {
        heights.add(node.head.height());
      }
    }
    return heights;
  }

  /** Every honest chain links hash to hash from genesis, and honest chains agree height by height. */
  private void checkChains() {
    for (SimNode node : nodes) {
      if (!node.honest()) {
        continue;
      }
      BlockHeader parent = genesis;
      for (FinalizedBlock block : node.chain) {
        if (!block.block().header().parentHash().equals(parent.hash()) || block.height() != parent.height() + 1) {
          checker.violation("chain: " + node + " height " + block.height() + " does not link to its parent");
          return;
        }
        parent = block.block().header();
      }
    }
  }

  private void note(String text) {
    if (trace != null) {
      trace.add("t=" + now + " " + text);
    }
  }

  List<SimNode> nodes() {
    return nodes;
  }

  /** The node's reads, from its data dir, its mempool and the simulated links. */
  private final class View implements DriverView {
    private final SimNode node;

    View(SimNode node) {
      this.node = node;
    }

    @Override
    public BlockHeader head() {
      return node.head;
    }

    @Override
    public ValidatorSet nextValidators() {
      return validatorsFor(node.head.height() + 1);
    }

    @Override
    public boolean hasPendingTransactions() {
      return node.pendingTransactions;
    }

    @Override
    public boolean isReachable(PublicKey validator) {
      SimNode peer = byKey.get(validator);
      return peer == node || (peer != null && alive(peer) && connected(node, peer));
    }
  }
}
