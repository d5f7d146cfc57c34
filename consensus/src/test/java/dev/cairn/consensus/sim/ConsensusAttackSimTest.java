package dev.cairn.consensus.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The engine-level attacks of issue 14 (docs/security.md, "Consensus-level attacks"), with real message
 * encodings and the real size limits, over many seeds ({@code cairn.sim.seeds}: 500 by default, a fifth of
 * them here because each run moves and signs much more; 10,000 seeds with -Psoak give 2,000).
 */
class ConsensusAttackSimTest {
  private static long seeds() {
    return Math.max(1, Long.getLong("cairn.sim.seeds", 500) / 5);
  }

  /**
   * A Byzantine proposer sends 200 distinct valid blocks in each of its rounds: every honest engine stays
   * within its block bound after every step (a violation otherwise), the equivocation is reported, and the
   * chain keeps finalizing under the faulty network.
   */
  @Test
  void manyBlockProposalEquivocationKeepsTheMemoryBoundAndLeavesEvidence() {
    long seeds = seeds();
    SimSweep.Outcome outcome = SimSweep.run(Scenario.manyBlockEquivocation(SimSweep.HEIGHTS), 0, seeds);
    System.out.println(outcome.report());
    assertThat(outcome.failures()).as(outcome.report()).isEmpty();
    assertThat(outcome.seeds()).isEqualTo(seeds);
    assertThat(outcome.evidence()).as("equivocation evidence over all seeds").isGreaterThanOrEqualTo(seeds);
  }

  /**
   * Blocks at the chain's limit, one silent validator, commits lost until GST: locked blocks at the limit are
   * re-proposed within the message limit and every honest validator reaches the target height.
   */
  @Test
  void aLargeLockedBlockWithOneSilentValidatorKeepsFinalizing() {
    long seeds = seeds();
    SimSweep.Outcome outcome =
        SimSweep.run(Scenario.largeLockedBlock(SimSweep.HEIGHTS, Scenario.LARGE_BLOCK_BYTES), 0, seeds);
    System.out.println(outcome.report());
    assertThat(outcome.failures()).as(outcome.report()).isEmpty();
    assertThat(outcome.seeds()).isEqualTo(seeds);
  }

  /** The large-block scenario is not vacuous: its runs do lock blocks that must then be re-proposed. */
  @Test
  void theLargeBlockScenarioReProposesLockedBlocks() {
    long reProposals = 0;
    for (long seed = 0; seed < 20; seed++) {
      Simulation simulation = new Simulation(Scenario.largeLockedBlock(SimSweep.HEIGHTS, Scenario.LARGE_BLOCK_BYTES), seed, false);
      SimResult result = simulation.run();
      assertThat(result.ok()).as(result.summary()).isTrue();
      reProposals += simulation.lockedReProposals;
    }
    assertThat(reProposals).isPositive();
  }
}
