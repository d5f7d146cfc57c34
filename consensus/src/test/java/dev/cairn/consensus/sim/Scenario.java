package dev.cairn.consensus.sim;

import dev.cairn.consensus.ConsensusConfig;
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
    int blockBytes) {

  public Scenario {
    crashedForever = Set.copyOf(crashedForever);
    java.util.Objects.requireNonNull(attacker, "attacker");
  }

  private Scenario(String name, int validators, int byzantine, boolean coalition, int heights, long gstMillis,
      long delayMaxMillis, long delayAfterGstMaxMillis, double dropRate, double commitDropRate, double duplicateRate,
      boolean partitions, boolean crashes, Set<Integer> crashedForever, boolean reconfigure, boolean unlocked,
      ConsensusConfig config) {
    this(name, validators, byzantine, coalition, heights, gstMillis, delayMaxMillis, delayAfterGstMaxMillis, dropRate,
        commitDropRate, duplicateRate, partitions, crashes, crashedForever, reconfigure, unlocked, config,
        java.util.Optional.empty(), 0);
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
        base.crashes(), Set.of(), false, false, SIM_CONFIG, java.util.Optional.of(Behaviour.MANY_BLOCK_PROPOSER), 0);
  }

  /**
   * Engine-level attack (issue 14, finding 1): every block is at the chain's block limit, one validator of
   * four is silent, and until GST most COMMITs are lost, so blocks get locked without being committed and
   * every round-change quorum carries the lock: a locked block at the limit must be re-proposable within the
   * message limit, or the chain stops for good.
   */
  public static Scenario largeLockedBlock(int heights, int blockBytes) {
    return new Scenario("large-locked-n4", 4, 1, false, heights, 20_000, 100, 100, 0.1, 0.7, 0.05, false, true,
        Set.of(), false, false, SIM_CONFIG, java.util.Optional.of(Behaviour.SILENT), blockBytes);
  }

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
        Set.of(), false, false, SIM_CONFIG);
  }

  /** A fault-free network: used for throughput measurements and timing bounds. */
  public static Scenario calm(int n, int heights) {
    return new Scenario("calm-n" + n, n, 0, false, heights, 0, 50, 50, 0, 0, 0, false, false, Set.of(), false, false, SIM_CONFIG);
  }

  /** Until GST a network that loses most COMMITs (so rounds change after some validators committed). */
  public static Scenario lossy(int n, int heights, boolean unlocked) {
    return new Scenario("lossy-n" + n, n, 0, false, heights, 60_000, 100, 100, 0.2, 0.6, 0.0, false, false, Set.of(), false, unlocked, SIM_CONFIG);
  }

  /** f+1 colluding validators: agreement can be broken; the checker must notice. */
  public static Scenario coalition(int n, int heights) {
    int f = (n - 1) / 3;
    return new Scenario("coalition-n" + n, n, f + 1, true, heights, 0, 50, 50, 0, 0, 0, false, false, Set.of(), false, false, SIM_CONFIG);
  }

  /** The CI scenarios: n = 1, 4, 7 with f Byzantine validators. */
  public static List<Scenario> standard(int heights) {
    return List.of(faulty(1, 0, heights), faulty(4, 1, heights), faulty(7, 2, heights));
  }

  /** A fault-free network with validator {@code index} down from the start and never back. */
  public static Scenario crashedValidator(int n, int heights) {
    return new Scenario("crashed-n" + n, n, 0, false, heights, 0, 50, 50, 0, 0, 0, false, false, Set.of(1), false, false, SIM_CONFIG);
  }

  /**
   * Five validators and one Byzantine under the faulty network, where the last validator leaves the set at
   * every third height and comes back at the next: set changes take effect at the height the caller says.
   */
  public static Scenario reconfiguring(int heights) {
    Scenario base = faulty(5, 1, heights);
    return new Scenario("reconfig-n5-byz1", 5, 1, false, heights, base.gstMillis(), base.delayMaxMillis(),
        base.delayAfterGstMaxMillis(), base.dropRate(), base.commitDropRate(), base.duplicateRate(),
        base.partitions(), base.crashes(), Set.of(), true, false, SIM_CONFIG);
  }

  /**
   * A calm network that is cut in two halves (neither a quorum) from the start for {@code outageMillis}; GST is
   * when it heals. The test adds the partition (Simulation.partition).
   */
  public static Scenario outage(int n, int heights, long outageMillis) {
    return new Scenario("outage-n" + n, n, 0, false, heights, outageMillis, 50, 50, 0, 0, 0, false, false,
        Set.of(), false, false, SIM_CONFIG);
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
      default -> throw new IllegalArgumentException("unknown scenario " + name);
    };
  }

  public Scenario named(String newName) {
    return new Scenario(newName, validators, byzantine, coalition, heights, gstMillis, delayMaxMillis,
        delayAfterGstMaxMillis, dropRate, commitDropRate, duplicateRate, partitions, crashes, crashedForever, reconfigure,
        unlocked, config, attacker, blockBytes);
  }
}
