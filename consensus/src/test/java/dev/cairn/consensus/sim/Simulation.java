package dev.cairn.consensus.sim;

import dev.cairn.consensus.ConsensusEngine;
import dev.cairn.consensus.Effects;
import dev.cairn.consensus.Evidence;
import dev.cairn.consensus.Input;
import dev.cairn.consensus.PersistedState;
import dev.cairn.consensus.UnsafeEngines;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * One deterministic run of n engines: a simulated clock (a priority queue of events), a simulated network
 * (delay, drop, duplicate, reorder, partitions) that misbehaves until GST and is reliable after it, crashes
 * and restarts of honest validators from what they persisted, Byzantine validators, and a block sync that
 * stands in for the node's. Everything random comes from one seeded SplittableRandom: a seed replays a run.
 */
public final class Simulation {
  /** Events processed before a run is declared stuck (a livelock would otherwise never end). */
  static final long EVENTS_MAX = 5_000_000;
  /** Blocks one sync response carries. */
  static final int SYNC_BLOCKS_MAX = 16;
  private static final Map<Integer, KeyPair> KEYS = new HashMap<>();

  private final Scenario scenario;
  private final long seed;
  private final SplittableRandom random;
  private final List<SimNode> nodes = new ArrayList<>();
  private final Map<PublicKey, SimNode> byKey = new HashMap<>();
  private final ValidatorSet validators;
  private final ValidatorSet reducedValidators;
  private final ByzantineOutbox outbox;
  private final CachingVerifier verifier = new CachingVerifier();
  private final InvariantChecker checker = new InvariantChecker(verifier);
  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private final List<String> trace;
  private final List<Partition> partitions = new ArrayList<>();
  /** Time each honest node reached each height (index = height), for the per-height timing checks. */
  final Map<Long, Long> firstStartByHeight = new HashMap<>();
  final Map<Long, Long> lastFinalizedByHeight = new HashMap<>();
  private long now;
  private long sequence;
  private long events;
  private int evidence;
  private int maxRoundAfterGst;
  private long lastProgressAfterGst;
  private long maxStallAfterGstMillis;
  /** Messages the simulated wire refused as larger than the chain's message limit. */
  long oversizeDropped;
  /** Proposals honest validators sent that re-propose a locked block (with its certificate). */
  long lockedReProposals;

  private record Partition(long fromMillis, long untilMillis, boolean[] side) {}

  private sealed interface Action {}

  private record Deliver(SimNode to, ConsensusMessage message) implements Action {}

  private record DeliverBytes(SimNode to, Bytes bytes) implements Action {}

  private record Timer(SimNode node, int incarnation, Effects.TimerRequest request) implements Action {}

  private record Build(SimNode node, int incarnation, long height, int round) implements Action {}

  private record Validate(SimNode node, int incarnation, Block block) implements Action {}

  private record Crash(SimNode node) implements Action {}

  private record Restart(SimNode node) implements Action {}

  private record SyncResponse(SimNode node, int incarnation, List<FinalizedBlock> blocks) implements Action {}

  private record Event(long time, long sequence, Action action) implements Comparable<Event> {
    @Override
    public int compareTo(Event other) {
      int byTime = Long.compare(time, other.time);
      return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
  }

  public Simulation(Scenario scenario, long seed, boolean recordTrace) {
    this.scenario = scenario;
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
    BlockHeader genesis = SimBlocks.genesis(validators).header();
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
    scheduleFaults();
    for (SimNode node : nodes) {
      start(node);
    }
    long deadline = scenario.gstMillis() + scenario.livenessBudgetMillis();
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
          + honestHeights() + ", wanted " + scenario.heights());
    }
    checkChains();
    return new SimResult(scenario.name(), scenario.heights(), seed, List.copyOf(checker.violations), minHonestHeight(), now, events,
        maxRoundAfterGst, evidence, maxStallAfterGstMillis, trace == null ? List.of() : List.copyOf(trace));
  }

  // ---- faults ----

  private void scheduleFaults() {
    long gst = scenario.gstMillis();
    if (gst <= 0) {
      for (int index : scenario.crashedForever()) {
        schedule(0, new Crash(nodes.get(index)));
      }
      return;
    }
    if (scenario.partitions()) {
      int count = 1 + random.nextInt(3);
      for (int i = 0; i < count; i++) {
        long from = random.nextLong(gst);
        long until = Math.min(gst, from + 1 + random.nextLong(gst / 2));
        boolean[] side = new boolean[nodes.size()];
        for (int j = 0; j < side.length; j++) {
          side[j] = random.nextBoolean();
        }
        partitions.add(new Partition(from, until, side));
      }
    }
    if (scenario.crashes()) {
      for (SimNode node : nodes) {
        if (node.honest() && random.nextInt(3) == 0) {
          long at = random.nextLong(gst);
          schedule(at, new Crash(node));
          schedule(Math.min(gst, at + 1 + random.nextLong(gst / 3)), new Restart(node));
        }
      }
    }
  }

  /** Adds a partition (before run): nodes on different sides cannot talk from {@code from} until {@code until}. */
  void partition(long from, long until, boolean[] side) {
    partitions.add(new Partition(from, until, side.clone()));
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
    return now < scenario.gstMillis();
  }

  // ---- driving engines ----

  private void start(SimNode node) {
    node.incarnation++;
    node.crashed = false;
    Optional<PersistedState> restored = Optional.ofNullable(node.persisted);
    node.engine = scenario.unlocked()
        ? UnsafeEngines.withoutLock(scenario.config(), node.key, verifier, restored)
        : new ConsensusEngine(scenario.config(), node.key, verifier, restored);
    newHeight(node);
  }

  private void newHeight(SimNode node) {
    long height = node.head.height() + 1;
    node.heightStartedMillis = now;
    if (node.honest()) {
      firstStartByHeight.merge(height, now, Math::min);
    }
    step(node, new Input.NewHeight(node.head, validatorsFor(height)));
  }

  private void handle(Action action) {
    switch (action) {
      case Deliver d -> {
        if (alive(d.to())) {
          step(d.to(), new Input.MessageReceived(d.message()));
        }
      }
      case DeliverBytes d -> {
        if (alive(d.to())) {
          step(d.to(), new Input.MessageBytesReceived(d.bytes()));
        }
      }
      case Timer t -> {
        if (current(t.node(), t.incarnation())) {
          step(t.node(), new Input.TimerFired(t.request()));
          requestSync(t.node());
        }
      }
      case Build b -> {
        if (current(b.node(), b.incarnation()) && b.node().engine.height() == b.height()) {
          SimNode node = b.node();
          boolean valid = node.behaviour != Behaviour.INVALID_BLOCK_VOTER;
          Block block = scenario.blockBytes() > 0
              ? SimBlocks.buildFilled(node.head, validatorsFor(b.height()), node.key.publicKey(), b.round(), now, valid,
                  scenario.blockBytes())
              : SimBlocks.build(node.head, validatorsFor(b.height()), node.key.publicKey(), b.round(), now, 0, valid);
          step(node, new Input.CandidateReady(block));
        }
      }
      case Validate v -> {
        if (current(v.node(), v.incarnation()) && v.node().engine.height() == v.block().height()) {
          SimNode node = v.node();
          Validation result = node.behaviour == Behaviour.INVALID_BLOCK_VOTER
              ? Validation.VALID
              : SimBlocks.execute(v.block(), node.head, validatorsFor(v.block().height()));
          step(node, new Input.BlockValidated(v.block().hash(), result));
        }
      }
      case Crash c -> crash(c.node());
      case Restart r -> {
        if (r.node().crashed && !scenario.crashedForever().contains(r.node().index)) {
          note(r.node() + " restarts at height " + (r.node().head.height() + 1));
          start(r.node());
        }
      }
      case SyncResponse s -> {
        if (current(s.node(), s.incarnation())) {
          applySync(s.node(), s.blocks());
        }
      }
    }
  }

  private void crash(SimNode node) {
    if (!node.crashed) {
      note(node + " crashes at height " + (node.head.height() + 1));
      node.crashed = true;
      node.engine = null;
      node.incarnation++;
    }
  }

  private boolean alive(SimNode node) {
    return !node.crashed && node.engine != null;
  }

  private boolean current(SimNode node, int incarnation) {
    return alive(node) && node.incarnation == incarnation;
  }

  private void step(SimNode node, Input input) {
    Effects effects = node.engine.step(input);
    if (node.honest() && node.engine.storedBlocks() > scenario.storedBlocksMax()) {
      checker.violation("memory: t=" + now + " " + node + " holds " + node.engine.storedBlocks() + " blocks, bound "
          + scenario.storedBlocksMax());
    }
    apply(node, effects);
  }

  /** Applies effects in the order the engine demands: persist, send, then everything else. */
  private void apply(SimNode node, Effects effects) {
    effects.persist().ifPresent(state -> persist(node, state));
    for (ConsensusMessage message : effects.broadcast()) {
      if (node.honest()) {
        checker.onOwnMessage(node, message.signed(), now);
        if (message.kind() == MessageKind.PROPOSAL && message.prepared().isPresent()) {
          lockedReProposals++;
        }
      }
      broadcast(node, message);
    }
    for (Effects.TimerRequest timer : effects.timers()) {
      schedule(now + timer.delayMillis(), new Timer(node, node.incarnation, timer));
    }
    effects.buildBlock().ifPresent(build ->
        schedule(now + 1 + random.nextInt(5), new Build(node, node.incarnation, build.height(), build.round())));
    for (Block block : effects.validate()) {
      schedule(now + 1 + random.nextInt(5), new Validate(node, node.incarnation, block));
    }
    for (Evidence found : effects.evidence()) {
      evidence++;
      checker.onEvidence(node, found, byKey, now);
    }
    if (node.engine != null && node.engine.round() != node.traceRound) {
      node.traceRound = node.engine.round();
      if (trace != null) {
        note(node + " height " + node.engine.height() + " round " + node.traceRound);
      }
    }
    if (node.engine != null && !beforeGst()) {
      maxRoundAfterGst = Math.max(maxRoundAfterGst, node.engine.round());
    }
    effects.finalized().ifPresent(finalized -> finalize(node, finalized));
  }

  private void persist(SimNode node, PersistedState state) {
    if (node.honest()) {
      for (ConsensusMessage own : state.ownMessages()) {
        checker.onOwnMessage(node, own.signed(), now);
      }
    }
    node.persisted = state;
  }

  private void finalize(SimNode node, FinalizedBlock finalized) {
    BlockHeader parent = node.head;
    if (!finalized.block().header().parentHash().equals(parent.hash()) || finalized.height() != parent.height() + 1) {
      checker.violation("chain: " + node + " finalized height " + finalized.height() + " not linked to its head "
          + parent.height());
      return;
    }
    checker.onFinalized(node, finalized, parent, validatorsFor(finalized.height()), now);
    node.chain.add(finalized);
    node.head = finalized.block().header();
    note(node + " finalized height " + finalized.height() + " block " + finalized.block().hash().shortHex()
        + " round " + (node.engine == null ? -1 : node.engine.round()));
    if (node.honest()) {
      lastFinalizedByHeight.merge(finalized.height(), now, Math::max);
      if (!beforeGst()) {
        lastProgressAfterGst = now;
      }
    }
    newHeight(node);
  }

  // ---- network ----

  private void broadcast(SimNode from, ConsensusMessage message) {
    for (SimNode to : nodes) {
      if (to == from) {
        continue;
      }
      for (ConsensusMessage sent : outbox.messagesFor(from, to, message)) {
        send(from, to, sent);
      }
      if (from.behaviour == Behaviour.GARBAGE && random.nextInt(2) == 0) {
        sendBytes(from, to, garbage(message));
      }
    }
  }

  private void send(SimNode from, SimNode to, ConsensusMessage message) {
    double dropRate = message.kind() == MessageKind.COMMIT ? scenario.commitDropRate() : scenario.dropRate();
    if (beforeGst() && (!connected(from, to) || random.nextDouble() < dropRate)) {
      return;
    }
    int copies = random.nextDouble() < scenario.duplicateRate() ? 2 : 1;
    if (scenario.blockBytes() > 0) {
      sendEncoded(to, message, copies);
      return;
    }
    for (int i = 0; i < copies; i++) {
      if (random.nextInt(50) == 0) {
        // Now and then through the wire format, so the codec is exercised by every scenario.
        sendBytes(from, to, Bytes.wrap(MessageCodec.encode(message)));
      } else {
        schedule(now + delay(), new Deliver(to, message));
      }
    }
  }

  /**
   * The real wire: the message's canonical encoding, dropped when it exceeds what the chain's limits admit
   * (the node's gossip limit is derived from the same bound, NetworkLimits).
   */
  private void sendEncoded(SimNode to, ConsensusMessage message, int copies) {
    byte[] encoded = MessageCodec.encode(message);
    if (encoded.length > MessageCodec.messageBytesMax(scenario.blockBytes())) {
      oversizeDropped++;
      note("dropped oversize " + message.kind() + " of " + encoded.length + " bytes");
      return;
    }
    for (int i = 0; i < copies; i++) {
      schedule(now + delay(), new DeliverBytes(to, Bytes.wrap(encoded)));
    }
  }

  private void sendBytes(SimNode from, SimNode to, Bytes bytes) {
    if (beforeGst() && (!connected(from, to) || random.nextDouble() < scenario.dropRate())) {
      return;
    }
    schedule(now + delay(), new DeliverBytes(to, bytes));
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

  // ---- block sync (the node's job; here so that a validator that missed a block can catch up) ----

  /**
   * Asks a peer that is ahead for the blocks this node lacks, once the node has spent a capped round timeout
   * at its height (a node's sync starts on lag, not on every missed message).
   */
  private void requestSync(SimNode node) {
    if (now - node.heightStartedMillis < scenario.config().roundTimeoutMaxMillis()) {
      return;
    }
    List<SimNode> ahead = new ArrayList<>();
    for (SimNode peer : nodes) {
      if (peer != node && alive(peer) && peer.head.height() > node.head.height() && (!beforeGst() || connected(node, peer))) {
        ahead.add(peer);
      }
    }
    if (ahead.isEmpty()) {
      return;
    }
    SimNode peer = ahead.get(random.nextInt(ahead.size()));
    int from = (int) node.head.height(); // chain index of height head+1
    int until = (int) Math.min(peer.chain.size(), from + SYNC_BLOCKS_MAX);
    List<FinalizedBlock> blocks = List.copyOf(peer.chain.subList(from, until));
    schedule(now + delay() * 2, new SyncResponse(node, node.incarnation, blocks));
  }

  private void applySync(SimNode node, List<FinalizedBlock> blocks) {
    boolean advanced = false;
    for (FinalizedBlock block : blocks) {
      if (block.height() != node.head.height() + 1) {
        continue;
      }
      Validation certificate = checker.certificateValidity(block, validatorsFor(block.height()));
      if (!certificate.isValid() || !block.block().header().parentHash().equals(node.head.hash())) {
        break; // a real node refuses it and asks someone else
      }
      checker.onFinalized(node, block, node.head, validatorsFor(block.height()), now);
      node.chain.add(block);
      node.head = block.block().header();
      advanced = true;
      note(node + " synced height " + block.height());
      if (node.honest()) {
        lastFinalizedByHeight.merge(block.height(), now, Math::max);
      }
    }
    if (advanced) {
      if (!beforeGst()) {
        lastProgressAfterGst = now;
      }
      newHeight(node);
    }
  }

  // ---- bookkeeping ----

  private void schedule(long time, Action action) {
    queue.add(new Event(time, sequence++, action));
  }

  private void trackStall() {
    if (beforeGst()) {
      return;
    }
    if (lastProgressAfterGst < scenario.gstMillis()) {
      lastProgressAfterGst = scenario.gstMillis();
    }
    maxStallAfterGstMillis = Math.max(maxStallAfterGstMillis, now - lastProgressAfterGst);
  }

  private boolean allHonestReached() {
    for (SimNode node : nodes) {
      if (node.honest() && !scenario.crashedForever().contains(node.index) && node.head.height() < scenario.heights()) {
        return false;
      }
    }
    return true;
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
      BlockHeader parent = SimBlocks.genesis(validators).header();
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
}
