package dev.cairn.consensus.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seeded sweep: every standard scenario (n = 1, 4, 7 with f Byzantine validators, a lossy, partitioned,
 * crashing network before GST) over {@code cairn.sim.seeds} seeds (500 by default, 10,000 with -Psoak).
 * A failure names the seed and the command that replays it.
 */
class ConsensusSimTest {
  static Stream<String> scenarios() {
    return Stream.of("n1-byz0", "n4-byz1", "n7-byz2");
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void everySeedKeepsSafetyAndLiveness(String name) {
    long seeds = Long.getLong("cairn.sim.seeds", 500);
    SimSweep.Outcome outcome = SimSweep.run(Scenario.byName(name, SimSweep.HEIGHTS), 0, seeds);
    System.out.println(outcome.report());
    assertThat(outcome.failures()).as(outcome.report()).isEmpty();
    assertThat(outcome.seeds()).isEqualTo(seeds);
  }

  /** Validator-set changes at the heights the caller says, under the same faults (fewer seeds: CI time). */
  @org.junit.jupiter.api.Test
  void validatorSetChangesKeepSafetyAndLiveness() {
    long seeds = Math.max(1, Long.getLong("cairn.sim.seeds", 500) / 2);
    SimSweep.Outcome outcome = SimSweep.run(Scenario.reconfiguring(SimSweep.HEIGHTS), 0, seeds);
    System.out.println(outcome.report());
    assertThat(outcome.failures()).as(outcome.report()).isEmpty();
  }
}
