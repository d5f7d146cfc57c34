package dev.cairn.consensus.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.ValidatorSet;
import org.junit.jupiter.api.Test;

/**
 * Shows that the invariants are not vacuous: with more Byzantine validators than the protocol tolerates, or
 * with the lock and justification check removed, the simulator finds forks; with the engine as shipped, the
 * same seeds find none.
 */
class FaultInjectionSimTest {
  private static final int SEEDS = 50;

  @Test
  void fPlusOneColludingValidatorsBreakAgreementAndTheCheckerSaysSo() {
    for (String name : new String[] {"coalition-n4", "coalition-n7"}) {
      SimSweep.Outcome outcome = SimSweep.run(Scenario.byName(name, SimSweep.HEIGHTS), 0, 20);
      System.out.println(outcome.report());
      assertThat(outcome.failures()).as(name).isNotEmpty();
      assertThat(outcome.failures().get(0).violations()).anyMatch(v -> v.startsWith("agreement:"));
    }
  }

  @Test
  void withoutTheLockTheSimulatorFindsAFork() {
    SimSweep.Outcome unlocked = SimSweep.run(Scenario.byName("lossy-n4-unlocked", SimSweep.HEIGHTS), 0, SEEDS);
    System.out.println(unlocked.report());
    assertThat(unlocked.failures()).isNotEmpty();
    assertThat(unlocked.failures()).allMatch(r -> r.violations().get(0).startsWith("agreement:"));
  }

  @Test
  void withTheLockTheSameSeedsKeepAgreement() {
    SimSweep.Outcome locked = SimSweep.run(Scenario.byName("lossy-n4", SimSweep.HEIGHTS), 0, SEEDS);
    System.out.println(locked.report());
    assertThat(locked.failures()).as(locked.report()).isEmpty();
  }

  /**
   * One validator down for good, network calm: a height it would have proposed at round 0 costs one round-0
   * timeout (never more than the cap) plus a few network delays; the other heights cost only the delays.
   */
  @Test
  void aCrashedValidatorCostsAtMostOneRoundTimeoutAtItsHeights() {
    Scenario scenario = Scenario.crashedValidator(4, 24);
    Simulation simulation = new Simulation(scenario, 7, false);
    SimResult result = simulation.run();
    assertThat(result.ok()).as(result.summary()).isTrue();
    ValidatorSet validators = simulation.validatorsFor(1);
    PublicKey crashed = simulation.nodes().get(1).key.publicKey();
    long delays = 8 * scenario.delayMaxMillis();
    long timeout = scenario.config().roundTimeoutMillis(0);
    assertThat(timeout).isLessThanOrEqualTo(scenario.config().roundTimeoutMaxMillis());
    int heightsProposedByCrashed = 0;
    for (long height = 1; height <= scenario.heights(); height++) {
      long took = simulation.lastFinalizedByHeight.get(height) - simulation.firstStartByHeight.get(height);
      boolean crashedProposes = validators.proposer(height, 0).equals(crashed);
      if (crashedProposes) {
        heightsProposedByCrashed++;
        assertThat(took).as("height %d (crashed proposer)", height).isBetween(timeout, timeout + delays);
      } else {
        assertThat(took).as("height %d", height).isLessThan(delays);
      }
    }
    assertThat(heightsProposedByCrashed).isEqualTo(scenario.heights() / 4);
  }

  /**
   * Two halves of four validators, neither a quorum, for an hour of simulated time: rounds do not run away
   * (waiting rounds) and timeouts are capped, so once the network heals the next block is final within two
   * capped timeouts plus a few network delays.
   */
  @Test
  void anHourWithoutQuorumCostsAtMostTwoCappedTimeoutsAfterHealing() {
    Scenario scenario = Scenario.outage(4, 4, 3_600_000);
    Simulation simulation = new Simulation(scenario, 3, false);
    simulation.partition(0, scenario.gstMillis(), new boolean[] {true, true, false, false});
    SimResult result = simulation.run();
    System.out.println(result.summary());
    assertThat(result.ok()).as(result.summary()).isTrue();
    assertThat(result.virtualMillis()).isGreaterThan(scenario.gstMillis());
    long cap = scenario.config().roundTimeoutMaxMillis();
    assertThat(result.maxStallAfterGstMillis()).isLessThanOrEqualTo(2 * cap + 20 * scenario.delayMaxMillis());
    assertThat(result.maxRoundAfterGst()).isLessThanOrEqualTo(3);
  }
}
