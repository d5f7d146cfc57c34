package dev.cairn.consensus.sim;

import dev.cairn.consensus.ConsensusConfig;
import dev.cairn.consensus.driver.UnsafeDrivers;
import java.util.List;
import java.util.Set;

/**
 * One family of simulated runs; a seed picks everything else (Byzantine behaviours, delays, drops,
 * partitions, crashes). Before {@code gstMillis} the network misbehaves (safety phase); from then on it
 * delivers every message within {@code delayAfterGstMaxMillis}, partitions heal and crashed validators
 * restart (liveness phase). A run ends when every honest validator reached {@code heights}.
 *
 * @param byzantine how many validators are Byzantine
 * @param coalition true: the Byzantine validators are a FORK_COALITION instead of drawing from WITHIN_F
 * @param unlocked true: every engine runs without the lock (the mutation the checker must catch)
 * @param attacker when present, every Byzantine validator behaves so (instead of drawing from WITHIN_F)
 * @param blockBytes 0: empty blocks; otherwise the chain's block limit: every block built is filled to
 *     exactly this many encoded bytes, and every message travels as its real encoding, dropped (as the
 *     gossip layer would) when larger than {@code MessageCodec.messageBytesMax(blockBytes)}
 */
public record Scenario(
    String name,
    int validators,
    int byzantine,
    boolean coalition,
    int heights,
    long gstMillis,
    long delayMaxMillis,
    long delayAfterGstMaxMillis,
    double dropRate,
    double commitDropRate,
    double duplicateRate,
    boolean partitions,
    boolean crashes,
    Set<Integer> crashedForever,
    boolean reconfigure,
    boolean unlocked,
    ConsensusConfig config,
    java.util.Optional<Behaviour> attacker,
    int blockBytes,
    Driving driving) {

  public Scenario {
    crashedForever = Set.copyOf(crashedForever);
    java.util.Objects.requireNonNull(attacker, "attacker");
    java.util.Objects.requireNonNull(driving, "driving");
  }

  private Scenario(String name, int validators, int byzantine, boolean coalition, int heights, long gstMillis,
      long delayMaxMillis, long delayAfterGstMaxMillis, double dropRate, double commitDropRate, double duplicateRate,
      boolean partitions, boolean crashes, Set<Integer> crashedForever, boolean reconfigure, boolean unlocked,
      ConsensusConfig config, Driving driving) {
    this(name, validators, byzantine, coalition, heights, gstMillis, delayMaxMillis, delayAfterGstMaxMillis, dropRate,
        commitDropRate, duplicateRate, partitions, crashes, crashedForever, reconfigure, unlocked, config,
        java.util.Optional.empty(), 0, driving);
  }

  /** Blocks an honest engine may hold at once: one proposal and a round-change certificate per retained round. */
  public int storedBlocksMax() {
    return 2 * (config.roundsRetainedMax() + config.futureRoundsMax() + 1);
  }

  /**
   * Engine-level attack (issue 14, finding 4): among n = 4, the Byzantine validator, as proposer, sends
   * {@code ByzantineOutbox.BLOCKS_PER_ROUND} distinct, valid, signed blocks in each of its rounds (more than
   * {@link #storedBlocksMax}), under the faulty network. Honest engines must keep their memory bound, report
   * the equivocation, and keep finalizing.
   */
  public static Scenario manyBlockEquivocation(int heights) {
    Scenario base = faulty(4, 1, heights);
    return new Scenario("many-blocks-n4", 4, 1, false, heights, base.gstMillis(), base.delayMaxMillis(),
        base.delayAfterGstMaxMillis(), base.dropRate(), base.commitDropRate(), base.duplicateRate(), base.partitions(),
        base.crashes(), Set.of(), false, false, SIM_CONFIG, java.util.Optional.of(Behaviour.MANY_BLOCK_PROPOSER), 0,
        base.driving());
  }

  /**
   * Engine-level attack (issue 14, finding 1): every block is at the chain's block limit, one validator of
   * four is silent, and until GST most COMMITs are lost, so blocks get locked without being committed and
   * every round-change quorum carries the lock: a locked block at the limit must be re-proposable within the
   * message limit, or the chain stops for good.
   */
  public static Scenario largeLockedBlock(int heights, int blockBytes) {
    return new Scenario("large-locked-n4", 4, 1, false, heights, 20_000, 100, 100, 0.1, 0.7, 0.05, false, true,
        Set.of(), false, false, SIM_CONFIG, java.util.Optional.of(Behaviour.SILENT), blockBytes,
        Driving.STANDARD);
  }

  /**
   * How the driver runs and what happens around it.
   *
   * @param emptyBlocks true: heights start at once; false: lazily, on simulated transactions arriving
   * @param fsyncFailRate before GST, the chance that one persist's fsync fails (the node must halt)
   * @param importGossip true: validators import a gossiped finalized block at once (it races their commit)
   * @param unreachableProposerTimeoutMillis the driver's cap on waiting for an unreachable proposer
   * @param bug a deliberately broken driver (mutation tests), or NONE
   * @param laggingNode -1, or a validator that starts {@code prefixHeights} below the others (was offline)
   * @param prefixHeights heights the others have finalized before the run starts
   * @param wipedNode -1, or a validator that crashes and comes back with an empty data dir
   * @param isolatedNode -1, or a validator cut off from every peer until GST
   */
  public record Driving(boolean emptyBlocks, double fsyncFailRate, boolean importGossip,
      long unreachableProposerTimeoutMillis, UnsafeDrivers.Bug bug, int laggingNode, int prefixHeights,
      int wipedNode, int isolatedNode) {
    static final Driving STANDARD = new Driving(true, 0, false, Long.MAX_VALUE, UnsafeDrivers.Bug.NONE, -1, 0, -1, -1);
    /** The faulty network's disks: one fsync in a hundred fails before GST. */
    static final Driving FAULTY = new Driving(true, 0.01, false, Long.MAX_VALUE, UnsafeDrivers.Bug.NONE, -1, 0, -1, -1);
    static final Driving LAZY = new Driving(false, 0, false, Long.MAX_VALUE, UnsafeDrivers.Bug.NONE, -1, 0, -1, -1);

    Driving withBug(UnsafeDrivers.Bug newBug) {
      return new Driving(emptyBlocks, fsyncFailRate, importGossip, unreachableProposerTimeoutMillis, newBug,
          laggingNode, prefixHeights, wipedNode, isolatedNode);
    }
  }

  /** Heights the lagging validator of the offline scenario has missed. */
  public static final int OFFLINE_HEIGHTS = 1_000;

  static final ConsensusConfig SIM_CONFIG = ConsensusConfig.defaults().withTimeouts(1_000, 8_000);
  /**
   * The block limit of the large-locked-block scenario: a legal genesis limit, larger than the message limit's
   * headroom for the largest justification (about 287 KiB, MessageCodec.messageBytesMax), as the 8 MiB default
   * is, and small enough for many seeds.
   */
  static final int LARGE_BLOCK_BYTES = 512 * 1024;

  public static Scenario faulty(int n, int byzantine, int heights) {
    // One validator finalizes a height in a few simulated milliseconds: give it a short safety phase.
    long gstMillis = n == 1 ? 40 : 20_000;
    return new Scenario(
        "n" + n + "-byz" + byzantine, n, byzantine, false, heights, gstMillis, 400, 100, 0.15, 0.15, 0.05, true, true,
        Set.of(), false, false, SIM_CONFIG, Driving.FAULTY);
  }

  /** A fault-free network: used for throughput measurements and timing bounds. */
  public static Scenario calm(int n, int heights) {
    return new Scenario("calm-n" + n, n, 0, false, heights, 0, 50, 50, 0, 0, 0, false, false, Set.of(), false, false, SIM_CONFIG, Driving.STANDARD);
  }

  /** Until GST a network that loses most COMMITs (so rounds change after some validators committed). */
  public static Scenario lossy(int n, int heights, boolean unlocked) {
    return new Scenario("lossy-n" + n, n, 0, false, heights, 60_000, 100, 100, 0.2, 0.6, 0.0, false, false, Set.of(), false, unlocked, SIM_CONFIG, Driving.STANDARD);
  }

  /** f+1 colluding validators: agreement can be broken; the checker must notice. */
  public static Scenario coalition(int n, int heights) {
    int f = (n - 1) / 3;
    return new Scenario("coalition-n" + n, n, f + 1, true, heights, 0, 50, 50, 0, 0, 0, false, false, Set.of(), false, false, SIM_CONFIG, Driving.STANDARD);
  }

  /** The CI scenarios: n = 1, 4, 7 with f Byzantine validators. */
  public static List<Scenario> standard(int heights) {
    return List.of(faulty(1, 0, heights), faulty(4, 1, heights), faulty(7, 2, heights));
  }

  /** A fault-free network with validator {@code index} down from the start and never back. */
  public static Scenario crashedValidator(int n, int heights) {
    return new Scenario("crashed-n" + n, n, 0, false, heights, 0, 50, 50, 0, 0, 0, false, false, Set.of(1), false, false, SIM_CONFIG, Driving.STANDARD);
  }

  /**
   * Five validators and one Byzantine under the faulty network, where the last validator leaves the set at
   * every third height and comes back at the next: set changes take effect at the height the caller says.
   */
  public static Scenario reconfiguring(int heights) {
    Scenario base = faulty(5, 1, heights);
    return new Scenario("reconfig-n5-byz1", 5, 1, false, heights, base.gstMillis(), base.delayMaxMillis(),
        base.delayAfterGstMaxMillis(), base.dropRate(), base.commitDropRate(), base.duplicateRate(),
        base.partitions(), base.crashes(), Set.of(), true, false, SIM_CONFIG, Driving.FAULTY);
  }

  /**
   * A calm network that is cut in two halves (neither a quorum) from the start for {@code outageMillis}; GST is
   * when it heals. The test adds the partition (Simulation.partition).
   */
  public static Scenario outage(int n, int heights, long outageMillis) {
    return new Scenario("outage-n" + n, n, 0, false, heights, outageMillis, 50, 50, 0, 0, 0, false, false,
        Set.of(), false, false, SIM_CONFIG, Driving.STANDARD);
  }

  /** A calm network with lazy heights where one validator was offline while the others finalized {@code missed} heights. */
  public static Scenario offline(int heights, int missed) {
    return new Scenario("offline-n4", 4, 0, false, heights, 0, 50, 50, 0, 0, 0, false, false, Set.of(), false, false,
        SIM_CONFIG, new Driving(false, 0, false, Long.MAX_VALUE, UnsafeDrivers.Bug.NONE, 1, missed, -1, -1));
  }

  /** A network with delays and losses, lazy heights, where one validator crashes and restarts with an empty data dir. */
  public static Scenario wiped(int heights) {
    return new Scenario("wiped-n4", 4, 0, false, heights, 20_000, 100, 100, 0.05, 0.05, 0.02, false, false, Set.of(),
        false, false, SIM_CONFIG, new Driving(false, 0.005, false, Long.MAX_VALUE, UnsafeDrivers.Bug.NONE, -1, 0, 1, -1));
  }

  /** One validator cut off from all others until GST (10 s, some 10 of its proposer turns and rounds): its rounds wait only the unreachable-proposer cap. */
  public static Scenario unreachableProposer(int heights) {
    return new Scenario("unreachable-n4", 4, 0, false, heights, 10_000, 50, 50, 0, 0, 0, false, false, Set.of(),
        false, false, SIM_CONFIG, new Driving(false, 0, false, 300, UnsafeDrivers.Bug.NONE, -1, 0, -1, 1));
  }

  /** Validators import each gossiped finalized block at once, racing their own commit of it; lossy until GST. */
  public static Scenario importRace(int heights) {
    return new Scenario("race-n4", 4, 0, false, heights, 20_000, 200, 100, 0.1, 0.3, 0.05, true, true, Set.of(),
        false, false, SIM_CONFIG, new Driving(false, 0.005, true, Long.MAX_VALUE, UnsafeDrivers.Bug.NONE, -1, 0, -1, -1));
  }

  /** This scenario with a deliberately broken driver. */
  public Scenario withBug(UnsafeDrivers.Bug bug) {
    return new Scenario(name + "-" + bug.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), validators,
        byzantine, coalition, heights, gstMillis, delayMaxMillis, delayAfterGstMaxMillis, dropRate, commitDropRate,
        duplicateRate, partitions, crashes, crashedForever, reconfigure, unlocked, config, attacker, blockBytes,
        driving.withBug(bug));
  }

  /** The height every honest validator must reach: {@code heights} beyond what was finalized before the run. */
  public long targetHeight() {
    return (long) driving.prefixHeights() + heights;
  }

  public int maxFaulty() {
    return (validators - 1) / 3;
  }

  /**
   * The liveness bound after GST: from GST on, some honest validator finalizes (or syncs) a new height at least
   * this often. A height needs at most f+1 rounds after the honest validators share a round (f Byzantine
   * proposers in a row), each no longer than the capped timeout; getting into a shared round costs at most
   * two more capped timeouts (see docs/consensus.md, "Liveness").
   */
  public long stallBoundMillis() {
    return (maxFaulty() + 3) * config.roundTimeoutMaxMillis() + 20 * delayAfterGstMaxMillis;
  }

  /** Virtual time after GST within which every honest validator must have reached {@code heights}. */
  public long livenessBudgetMillis() {
    return (heights + 1) * stallBoundMillis();
  }

  /** The scenarios the simulator main and the replay command know by name. */
  public static Scenario byName(String name, int heights) {
    return switch (name) {
      case "n1-byz0" -> faulty(1, 0, heights);
      case "n4-byz1" -> faulty(4, 1, heights);
      case "n7-byz2" -> faulty(7, 2, heights);
      case "reconfig-n5-byz1" -> reconfiguring(heights);
      case "calm-n4" -> calm(4, heights);
      case "calm-n7" -> calm(7, heights);
      case "crashed-n4" -> crashedValidator(4, heights);
      case "lossy-n4" -> lossy(4, heights, false);
      case "lossy-n4-unlocked" -> lossy(4, heights, true).named("lossy-n4-unlocked");
      case "coalition-n4" -> coalition(4, heights);
      case "coalition-n7" -> coalition(7, heights);
      case "many-blocks-n4" -> manyBlockEquivocation(heights);
      case "large-locked-n4" -> largeLockedBlock(heights, LARGE_BLOCK_BYTES);
      case "offline-n4" -> offline(heights, OFFLINE_HEIGHTS);
      case "wiped-n4" -> wiped(heights);
      case "unreachable-n4" -> unreachableProposer(heights);
      case "race-n4" -> importRace(heights);
      default -> {
        for (UnsafeDrivers.Bug bug : UnsafeDrivers.Bug.values()) {
          String suffix = "-" + bug.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
          if (bug != UnsafeDrivers.Bug.NONE && name.endsWith(suffix)) {
            yield byName(name.substring(0, name.length() - suffix.length()), heights).withBug(bug);
          }
        }
        throw new IllegalArgumentException("unknown scenario " + name);
      }
    };
  }

  public Scenario named(String newName) {
    return new Scenario(newName, validators, byzantine, coalition, heights, gstMillis, delayMaxMillis,
        delayAfterGstMaxMillis, dropRate, commitDropRate, duplicateRate, partitions, crashes, crashedForever, reconfigure,
        unlocked, config, attacker, blockBytes, driving);
  }
}
