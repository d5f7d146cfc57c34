package dev.cairn.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The timeout schedule against a plain reference: min(base * 2^round, cap), computed without overflow. */
class RoundTimeoutProperties {
  @Property
  void timeoutIsTheCappedDoubling(
      @ForAll @LongRange(min = 1, max = 1_000_000) long base,
      @ForAll @LongRange(min = 0, max = 100_000_000) long extra,
      @ForAll @IntRange(min = 0, max = 10_000) int round) {
    long cap = base + extra;
    ConsensusConfig config = ConsensusConfig.defaults().withTimeouts(base, cap);
    BigInteger reference = BigInteger.valueOf(base).shiftLeft(round).min(BigInteger.valueOf(cap));
    assertThat(config.roundTimeoutMillis(round)).isEqualTo(reference.longValueExact());
  }
}
