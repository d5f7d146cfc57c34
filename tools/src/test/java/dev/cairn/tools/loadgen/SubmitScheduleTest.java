package dev.cairn.tools.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SubmitScheduleTest {
  @Test
  void withoutARampTransactionsAreEvenlySpacedAtTheRate() {
    SubmitSchedule schedule = new SubmitSchedule(3000, 0);
    assertThat(schedule.dueSeconds(0)).isZero();
    assertThat(schedule.dueSeconds(3000)).isEqualTo(1.0);
    assertThat(schedule.dueBy(10)).isEqualTo(30_000);
  }

  @Test
  void aRampStartsAtATenthOfTheRateAndReachesItAtTheRampsEnd() {
    SubmitSchedule schedule = new SubmitSchedule(1000, 10);
    // Over the 10 s ramp the rate averages (100 + 1000) / 2 = 550 tx/s.
    assertThat(schedule.dueBy(10)).isCloseTo(5500, within(1e-6));
    assertThat(schedule.dueSeconds(5500)).isCloseTo(10, within(1e-9));
    // The first second sends about a tenth of the rate, the last ramp second about the full rate.
    assertThat(schedule.dueBy(1)).isCloseTo(145, within(1e-6));
    assertThat(schedule.dueBy(10) - schedule.dueBy(9)).isCloseTo(955, within(1e-6));
    // After the ramp: the full rate.
    assertThat(schedule.dueSeconds(5500 + 2000)).isCloseTo(12, within(1e-9));
  }

  @Test
  void dueSecondsInvertsDueBy() {
    SubmitSchedule schedule = new SubmitSchedule(3000, 30);
    for (long i = 0; i < 200_000; i += 997) {
      double t = schedule.dueSeconds(i);
      assertThat(schedule.dueBy(t)).isCloseTo(i, within(1e-6));
      assertThat(schedule.dueSeconds(i + 1)).isGreaterThan(t);
    }
  }
}
