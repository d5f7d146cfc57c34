package dev.cairn.consensus.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seeded sweep, engine and driver together: every standard scenario (n = 1, 4, 7 with f Byzantine
 * validators, a lossy, partitioned, crashing network with failing fsyncs before GST), validator-set changes,
 * and the driver's own scenarios (a validator restarted with an empty data dir, one that missed 1,000 heights
 * and syncs while the others go on, a proposer unreachable for many rounds, imports racing own commits), each
 * over {@code cairn.sim.seeds} seeds (500 by default, 10,000 with -Psoak). A failure names the seed and the
 * command that replays it.
 */
class ConsensusSimTest {
  static Stream<String> scenarios() {
    return Stream.of("n1-byz0", "n4-byz1", "n7-byz2", "reconfig-n5-byz1", "wiped-n4", "offline-n4", "unreachable-n4",
        "race-n4");
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
}
