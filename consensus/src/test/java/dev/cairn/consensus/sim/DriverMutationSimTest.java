package dev.cairn.consensus.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.consensus.driver.UnsafeDrivers.Bug;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The simulator catches each deliberately broken driver: on a sweep of seeds some seed fails with the
 * expected violation, and the seed named in docs/consensus.md fails with the broken driver and passes with
 * the driver as shipped. (Dropping the engine's lock: {@link FaultInjectionSimTest}.)
 */
class DriverMutationSimTest {
  private static final int SEEDS = 100;

  @ParameterizedTest(name = "{1} in {0}")
  @CsvSource({
    "n4-byz1, SEND_BEFORE_PERSIST, durability:, 0",
    "n4-byz1, IGNORE_FAILED_PERSIST, durability:, 1",
    "race-n4, COMMIT_IMPORTED_AGAIN, chain:, 25",
  })
  void theSimulatorFindsTheBrokenDriver(String scenarioName, Bug bug, String violation, long namedSeed) {
    Scenario shipped = Scenario.byName(scenarioName, SimSweep.HEIGHTS);
    Scenario broken = shipped.withBug(bug);

    SimSweep.Outcome sweep = SimSweep.run(broken, 0, SEEDS);
    System.out.println(sweep.report());
    assertThat(sweep.failures()).as(sweep.report()).isNotEmpty();
    assertThat(sweep.failures()).allMatch(r -> r.violations().get(0).startsWith(violation), violation);

    SimResult named = new Simulation(broken, namedSeed, false).run();
    assertThat(named.violations()).as(named.summary()).isNotEmpty();
    assertThat(named.violations().get(0)).startsWith(violation);
    SimResult same = new Simulation(shipped, namedSeed, false).run();
    assertThat(same.ok()).as(same.summary()).isTrue();
  }
}
