package dev.cairn.adversary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.genesis.GenesisAccount;
import dev.cairn.p2p.gossip.GossipConfig;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Role;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.tools.loadgen.LoadRun;
import dev.cairn.tools.loadgen.PresignedLoad;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The attack soak (issue 14; docs/security.md, "Attack soak"): one 4-validator network on loopback under an honest
 * sender at {@value #RATE_DEFAULT} tx/s by default whose every transaction is followed to its block, under each
 * attack of {@code cairn-adversary} in turn and once without attack (the baseline), each phase {@value #PHASE_SECONDS_DEFAULT} s
 * by default with a recovery gap between phases. Not part of {@code mvn verify}: it runs with {@code -Pattack-soak}
 * (docs/testing.md).
 *
 * <p>Genesis has four validators and one observer (node-4, never started: the allow-listed peer attacks use its
 * key). node-3 runs as an honest validator except in the Byzantine phases (the first two), where it is stopped and
 * the attacker holds its key (f = 1), as in {@link ConsensusAttacksIT}. The peer and JSON-RPC attacks aim at node-0; the
 * honest sender spreads its batches over node-1, node-2 and node-0 and learns finality from node-1's new heads.
 *
 * <p>Per phase, one {@code attack-soak phase=...} line and one row of {@code target/attack-soak/attack-soak.md}:
 * heights per minute of node-1's head, the largest VmRSS sampled every {@value #RSS_SAMPLE_SECONDS} s per running
 * node, the honest validators' dropped votes (the delta of {@code dropped_votes} in their {@code
 * event=consensus_counters} lines), the honest transactions final, lost (accepted but not final by the end of the
 * drain) and rejected (by JSON-RPC error code), finality p50/p99 and the load average at the phase's start and end.
 * The run fails if any phase dropped an honest vote, lost an honest transaction, or finalized fewer heights a
 * minute than {@code cairn.attackSoak.heightsPerMinuteMin}.
 *
 * <p>System properties: {@code cairn.attackSoak.phaseSeconds}, {@code .rate}, {@code .gapSeconds}, {@code
 * .drainSeconds}, {@code .heightsPerMinuteMin}, {@code .attacks} (comma-separated names; default all).
 */
class AttackSoakIT {
  private static final String PROPERTY = "cairn.attackSoak.";
  private static final int PHASE_SECONDS_DEFAULT = 600;
  private static final int RATE_DEFAULT = 1_000;
  private static final int VALIDATORS = 4;
  private static final int OBSERVERS = 1;
  private static final int TARGET = 0;
  private static final int HEAD = 1;
  private static final int BYZANTINE = 3;
  private static final int OBSERVER = 4;
  private static final List<Integer> ALWAYS_HONEST = List.of(0, 1, 2);
  private static final List<Integer> ALL_VALIDATORS = List.of(0, 1, 2, 3);
  /** Fresh senders for each phase, so that a nonce gap left by a rejection in one phase cannot stall the next. */
  private static final int SENDERS_PER_PHASE = 200;
  private static final int BATCH_LENGTH = 50;
  private static final int CONNECTIONS = 4;
  private static final int RSS_SAMPLE_SECONDS = 5;
  private static final long BALANCE = 1_000_000_000L;
  /** node-3 syncing the Byzantine phases' blocks (1,200,000 honest transactions at the defaults) after them. */
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(20);

  private final long phaseSeconds = Long.getLong(PROPERTY + "phaseSeconds", PHASE_SECONDS_DEFAULT);
  private final long rate = Long.getLong(PROPERTY + "rate", RATE_DEFAULT);
  private final long gapSeconds = Long.getLong(PROPERTY + "gapSeconds", 30);
  private final long drainSeconds = Long.getLong(PROPERTY + "drainSeconds", 120);
  /** One block every 6 s: far below the 500 ms block period, above a chain that stalls for whole round timeouts. */
  private final double heightsPerMinuteMin = Double.parseDouble(System.getProperty(PROPERTY + "heightsPerMinuteMin", "10"));

  /**
   * One phase: an attack (none for the baseline) that runs, repeated if it ends early, for the whole phase, and
   * the counter of its report that shows it did attack (must be positive: an attacker still catching up, or
   * refused before it starts, has not tested anything).
   */
  private record Phase(String name, boolean byzantine, String actedCounter, Optional<Supplier<Attack>> attack) {}

  @Test
  void honestLoadSurvivesEveryAttack() throws Exception {
    Path dir = Path.of("target", "attack-soak").toAbsolutePath();
    KeyPair lockMember = KeyPair.generate();
    List<KeyPair> flooders = new ArrayList<>();
    for (int i = 0; i < 8; i++) flooders.add(KeyPair.generate()); // two per path: three RPC endpoints and gossip
    List<KeyPair> senders = PresignedLoad.accounts(SENDERS_PER_PHASE * 10);
    List<GenesisAccount> accounts = new ArrayList<>();
    for (KeyPair k : senders) accounts.add(new GenesisAccount(k.address(), BALANCE, Set.of(Role.MEMBER)));
    for (KeyPair k : flooders) accounts.add(new GenesisAccount(k.address(), BALANCE, Set.of(Role.MEMBER)));
    accounts.add(new GenesisAccount(lockMember.address(), BALANCE, Set.of(Role.MEMBER)));

    try (LocalNetwork net = LocalNetwork.generate(dir, VALIDATORS, OBSERVERS, accounts,
        ConsensusAttacksIT.ROUND_TIMEOUT_MILLIS, ConsensusAttacksIT.NODE_HEAP)) {
      for (int i : ALL_VALIDATORS) net.processes.start(i);
      LocalNetwork.await("the validators reach height 3", CATCH_UP_TIMEOUT, () -> net.allAtLeast(ALL_VALIDATORS, 3));
      List<Phase> phases = selected(phases(net, dir, flooders, lockMember));
      assertThat(phases.size()).as("phases (one set of senders each)").isLessThanOrEqualTo(senders.size() / SENDERS_PER_PHASE);
      List<SoakFigures> figures = new ArrayList<>();
      for (int p = 0; p < phases.size(); p++) {
        Phase phase = phases.get(p);
        List<Integer> honest = prepare(net, phase);
        figures.add(runPhase(net, dir, phase, honest, senders.subList(p * SENDERS_PER_PHASE, (p + 1) * SENDERS_PER_PHASE)));
        System.out.println(figures.getLast().line());
        Files.writeString(dir.resolve("attack-soak.md"), SoakFigures.table(figures, header()));
      }
      net.assertAgreeOnEveryBlock(ALWAYS_HONEST);
      System.out.println("attack-soak table: " + dir.resolve("attack-soak.md"));
      for (SoakFigures f : figures) {
        assertThat(f.attackActed()).as("%s: the attack did attack", f.phase()).doesNotEndWith("=0");
        assertThat(f.droppedVotes()).as("%s: honest votes dropped", f.phase()).isZero();
        assertThat(f.lost()).as("%s: honest transactions accepted but never final", f.phase()).isZero();
        assertThat(f.heightsPerMinute()).as("%s: heights per minute", f.phase()).isGreaterThanOrEqualTo(heightsPerMinuteMin);
      }
    }
  }

  /**
   * Every attack the adversary implements, in the order they run. The Byzantine ones come first, while the chain
   * is short: each run of them replays the whole chain from genesis into a fresh copy before it can act (a smoke
   * run with them last, after ~320,000 honest transactions, spent its 40 s phases catching up and attacked no
   * height). node-3 is then started for the baseline and has to catch up once.
   */
  private List<Phase> phases(LocalNetwork net, Path dir, List<KeyPair> flooders, KeyPair lockMember) throws IOException {
    InetSocketAddress p2pTarget = new InetSocketAddress("127.0.0.1", net.p2pBasePort + TARGET);
    URI rpcTarget = net.rpc.get(TARGET).endpoint();
    HostKey observerHostKey = HostKey.fromSeed(HexFormat.of().parseHex(Files.readString(net.nodeKey(OBSERVER)).trim()));
    KeyPair observerKey = KeyFiles.readNodeKey(net.nodeKey(OBSERVER));
    KeyPair byzantineKey = KeyFiles.readNodeKey(net.nodeKey(BYZANTINE));
    List<Multiaddr> allTargets = ALL_VALIDATORS.stream().map(net::p2pAddress).toList();
    List<Multiaddr> honestTargets = ALWAYS_HONEST.stream().map(net::p2pAddress).toList();
    Supplier<NetworkAccess> observer = () -> new NetworkAccess(net.genesis(), observerKey, allTargets, dir.resolve("observer-scratch"));
    Supplier<NetworkAccess> byzantine = () -> new NetworkAccess(net.genesis(), byzantineKey, honestTargets, dir.resolve("byzantine-scratch"));
    List<URI> floodEndpoints = ALWAYS_HONEST.stream().map(i -> net.rpc.get(i).endpoint()).toList();
    String chainId = net.genesis().chainId();
    return List.of(
        new Phase("lock-large-block-then-silent", true, "attempts", Optional.of(() -> new LockLargeBlockThenSilent(byzantine.get(), lockMember, 6))),
        new Phase("proposal-equivocation", true, "heights_attacked", Optional.of(() -> new ProposalEquivocation(byzantine.get(), 20, Integer.MAX_VALUE))),
        new Phase("baseline", false, "", Optional.empty()),
        new Phase("replay-flood", false, "replayed", Optional.of(() -> new ReplayFlood(observer.get(), 1_000, 512))),
        new Phase("tx-flood", false, "accepted_rpc", Optional.of(() -> new TxFlood(floodEndpoints, chainId, flooders, 1_000, Optional.of(observer.get())))),
        new Phase("handshake-flood", false, "connections_opened", Optional.of(() -> new HandshakeFlood(p2pTarget, loopback2(), 1_000, 15_000, 10_000))),
        new Phase("oversized-frames", false, "streams_announced", Optional.of(() -> new OversizedFrames(p2pTarget, observerHostKey,
            GossipConfig.PROTOCOL_ID, 64, 8 * 1024 * 1024))),
        new Phase("never-read", false, "pings_sent", Optional.of(() -> new NeverRead(p2pTarget, observerHostKey, 256L * 1024 * 1024))),
        new Phase("rpc-huge-responses", false, "calls_sent", Optional.of(() -> new RpcHugeResponses(rpcTarget, 100))),
        new Phase("ws-cross-origin", false, "refused_with_403", Optional.of(() -> new WsCrossOrigin(
            URI.create("ws://" + rpcTarget.getHost() + ":" + rpcTarget.getPort() + "/ws"), "https://attacker.example"))));
  }

  private static List<Phase> selected(List<Phase> all) {
    String names = System.getProperty(PROPERTY + "attacks", "").trim();
    if (names.isEmpty()) return all;
    List<String> wanted = Arrays.stream(names.split(",")).map(String::trim).toList();
    for (String name : wanted) {
      assertThat(all.stream().map(Phase::name)).as("known phases").contains(name);
    }
    return all.stream().filter(p -> p.name().equals("baseline") || wanted.contains(p.name())).toList();
  }

  /**
   * The recovery gap: node-3 stopped for a Byzantine phase (the attacker takes its key), or running and caught
   * up otherwise; then {@code gapSeconds} for the previous attack's effects to settle. Returns the honest nodes.
   */
  private List<Integer> prepare(LocalNetwork net, Phase phase) throws InterruptedException {
    if (phase.byzantine()) {
      net.processes.kill(BYZANTINE);
    } else if (!net.processes.isAlive(BYZANTINE)) {
      net.processes.start(BYZANTINE);
    }
    List<Integer> honest = phase.byzantine() ? ALWAYS_HONEST : ALL_VALIDATORS;
    long head = net.height(HEAD);
    LocalNetwork.await("the honest validators are at height " + head, CATCH_UP_TIMEOUT, () -> net.allAtLeast(honest, head));
    Thread.sleep(TimeUnit.SECONDS.toMillis(gapSeconds));
    return honest;
  }

  private SoakFigures runPhase(LocalNetwork net, Path dir, Phase phase, List<Integer> honest, List<KeyPair> senders)
      throws Exception {
    List<URI> loadUrls = List.of(net.rpc.get(HEAD).endpoint(), net.rpc.get(2).endpoint(), net.rpc.get(TARGET).endpoint());
    LoadRun.Settings settings = new LoadRun.Settings(loadUrls, rate, BATCH_LENGTH, CONNECTIONS, 0, 0, phaseSeconds, drainSeconds);
    PresignedLoad load = PresignedLoad.sign(net.genesis().chainId(), senders, LoadRun.txsNeeded(settings, 0));
    Map<Integer, Long> votesBefore = droppedVotes(net, honest);
    String loadStart = loadAverage();
    AtomicReference<AttackReport> report = new AtomicReference<>();
    Thread attacker = phase.attack().map(a -> Thread.ofPlatform().name("attack-" + phase.name())
        .start(() -> report.set(repeatFor(phase.name(), a, Duration.ofSeconds(phaseSeconds))))).orElse(null);
    PhaseSampler sampler = new PhaseSampler(net, honest);
    LoadRun.Outcome outcome;
    try (PrintStream progress = new PrintStream(Files.newOutputStream(dir.resolve("progress-" + phase.name() + ".log")), true)) {
      outcome = new LoadRun(settings, load).run(progress, sampler);
    }
    if (attacker != null) {
      // A run may outlast what it was given (a batch or a connection still closing): it is stopped once the honest
      // transactions have drained, not at the window's end, where an interrupted run (rpc-huge-responses: one run
      // per phase) would lose its whole report.
      attacker.interrupt();
      attacker.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(attacker.isAlive()).as("%s still runs a minute after its phase", phase.name()).isFalse();
      assertThat(report.get()).as("%s's report (its thread's stack trace is above)", phase.name()).isNotNull();
      System.out.println(report.get().line());
    }
    String loadEnd = loadAverage();
    Thread.sleep(dev.cairn.node.consensus.ConsensusCountersLog.INTERVAL_MILLIS + 1_000); // the phase's last counters line
    Map<Integer, Long> votesAfter = droppedVotes(net, honest);
    long dropped = 0;
    for (int i : honest) {
      long before = votesBefore.get(i);
      long after = votesAfter.get(i);
      dropped += after >= before ? after - before : after; // a restarted node counts from zero
    }
    String acted = report.get() == null ? "-" : phase.actedCounter() + "=" + report.get().counter(phase.actedCounter());
    return new SoakFigures(phase.name(), acted, phaseSeconds, rate, sampler.heightsPerMinute(), sampler.rssMaxKib(), dropped,
        outcome.submitted(), outcome.accepted() - outcome.lost(), outcome.lost(), outcome.rejected(), outcome.rejectedByCode(),
        outcome.latency().p50Millis(), outcome.latency().p99Millis(), loadStart, loadEnd);
  }

  /**
   * Runs fresh instances of the attack until the phase is over or the thread is interrupted (several end early: a
   * refused socket, one page); the report sums the runs' counters ({@code largest_*}: their maximum).
   */
  private static AttackReport repeatFor(String name, Supplier<Attack> attack, Duration phase) {
    long start = System.nanoTime();
    long end = start + phase.toNanos();
    Map<String, Long> sum = new LinkedHashMap<>();
    long runs = 0;
    try {
      for (long left = end - System.nanoTime(); left > TimeUnit.SECONDS.toNanos(1) && !Thread.currentThread().isInterrupted();
          left = end - System.nanoTime()) {
        long runStart = System.nanoTime();
        AttackReport r = attack.get().run(Duration.ofNanos(left));
        runs++;
        r.counters().forEach((k, v) -> sum.merge(k, v, k.startsWith("largest") ? Math::max : Long::sum));
        if (System.nanoTime() - runStart < TimeUnit.SECONDS.toNanos(1)) Thread.sleep(1_000); // at most one run a second
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sum.put("runs", runs);
    return new AttackReport(name, (System.nanoTime() - start) / 1_000_000, sum);
  }

  private static Map<Integer, Long> droppedVotes(LocalNetwork net, List<Integer> nodes) {
    Map<Integer, Long> out = new LinkedHashMap<>();
    for (int i : nodes) out.put(i, net.consensusCounters(i).getOrDefault("dropped_votes", 0L));
    return out;
  }

  /** The 1-, 5- and 15-minute load averages, e.g. {@code 12.3/14.0/15.1}. */
  static String loadAverage() {
    String[] f = LocalNetwork.read(Path.of("/proc/loadavg")).trim().split(" ");
    return f[0] + "/" + f[1] + "/" + f[2];
  }

  private String header() {
    return "Attack soak of " + Instant.now() + ": 4 validators (node-3 stopped and impersonated in the Byzantine phases), "
        + rate + " honest tx/s, " + phaseSeconds + " s per phase, " + gapSeconds + " s gap, heights/min floor "
        + heightsPerMinuteMin + "; " + Runtime.getRuntime().availableProcessors() + " cores.";
  }

  private static InetAddress loopback2() {
    try {
      return InetAddress.getByName("127.0.0.2");
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Samples node-1's head at the load window's edges and each running node's VmRSS every few seconds (VmHWM is
   * the process's peak since it started, so it cannot tell one phase from the last).
   */
  private static final class PhaseSampler implements LoadRun.WindowListener {
    private final LocalNetwork net;
    private final List<Integer> nodes;
    private final Map<Integer, Long> rssMaxKib = new LinkedHashMap<>();
    private long headAtStart;
    private long startNanos;
    private long headAtEnd;
    private long endNanos;
    private long seconds;

    PhaseSampler(LocalNetwork net, List<Integer> nodes) {
      this.net = net;
      this.nodes = nodes;
      for (int i : nodes) rssMaxKib.put(i, -1L);
    }

    @Override
    public void windowStarted() {
      headAtStart = net.height(HEAD);
      startNanos = System.nanoTime();
    }

    @Override
    public void windowEnded() {
      headAtEnd = net.height(HEAD);
      endNanos = System.nanoTime();
    }

    @Override
    public void everySecond(long nowNanos) {
      if (seconds++ % RSS_SAMPLE_SECONDS != 0) return;
      for (int i : nodes) rssMaxKib.merge(i, net.rssKib(i), Math::max);
    }

    double heightsPerMinute() {
      return (headAtEnd - headAtStart) * 60e9 / Math.max(1, endNanos - startNanos);
    }

    Map<Integer, Long> rssMaxKib() {
      return rssMaxKib;
    }
  }
}
