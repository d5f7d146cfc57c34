package dev.cairn.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConsensusConfigTest {
  private final ConsensusConfig config = ConsensusConfig.defaults().withTimeouts(1_000, 60_000);

  @Test
  void timeoutDoublesPerRound() {
    assertThat(config.roundTimeoutMillis(0)).isEqualTo(1_000);
    assertThat(config.roundTimeoutMillis(1)).isEqualTo(2_000);
    assertThat(config.roundTimeoutMillis(2)).isEqualTo(4_000);
    assertThat(config.roundTimeoutMillis(5)).isEqualTo(32_000);
  }

  @Test
  void timeoutNeverPassesTheCapEvenForHugeRounds() {
    assertThat(config.roundTimeoutMillis(6)).isEqualTo(60_000);
    assertThat(config.roundTimeoutMillis(63)).isEqualTo(60_000);
    assertThat(config.roundTimeoutMillis(Integer.MAX_VALUE)).isEqualTo(60_000);
    for (int round = 0; round < 200; round++) {
      assertThat(config.roundTimeoutMillis(round + 1)).isGreaterThanOrEqualTo(config.roundTimeoutMillis(round));
      assertThat(config.roundTimeoutMillis(round)).isLessThanOrEqualTo(60_000);
    }
  }

  @Test
  void inconsistentLimitsAreRefusedAtConstruction() {
    assertThatThrownBy(() -> config.withTimeouts(5_000, 1_000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> config.withTimeouts(0, 1_000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> config.roundTimeoutMillis(-1)).isInstanceOf(IllegalArgumentException.class);
  }

}
