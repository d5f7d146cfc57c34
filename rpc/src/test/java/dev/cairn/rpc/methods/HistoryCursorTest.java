package dev.cairn.rpc.methods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.model.Limits;
import dev.cairn.ledger.model.TxPosition;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The published cursor pattern is built digit by digit from the limits; checked here against plain
 * arithmetic: every number below a bound matches, and none at or above it.
 */
class HistoryCursorTest {
  @Test
  void hexBelowMatchesExactlyTheNumbersBelowItsBound() {
    for (long bound : new long[] {1, 2, 9, 10, 15, 16, 17, 0xa0, 0xff, 0x100, 0x1000, 0x186a0, 0xabc, 0xfff}) {
      Pattern below = Pattern.compile("^" + HistoryCursor.hexBelow(bound, 5) + "$");
      for (long n = 0; n < Math.min(0x100000, bound + 0x1000); n++) {
        String digits = String.format(Locale.ROOT, "%05x", n);
        boolean expected = n < bound;
        assertThat(below.matcher(digits).matches()).as(digits + " below " + bound).isEqualTo(expected);
        assertThat(below.matcher(digits.toUpperCase(Locale.ROOT)).matches()).as("upper case " + digits).isEqualTo(expected);
      }
    }
    assertThat(Pattern.matches(HistoryCursor.hexBelow(0x100, 2), "ff")).as("a bound of 16^digits takes every value").isTrue();
  }

  /** Seeded: every cursor the server issues matches the pattern. */
  @Test
  void everyIssuedCursorMatchesThePattern() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    Pattern pattern = Pattern.compile(HistoryCursor.pattern());
    for (int i = 0; i < 10_000; i++) {
      TxPosition position = new TxPosition((random.nextLong() >>> 1) >>> random.nextInt(63), random.nextInt(Limits.BLOCK_TXS_MAX));
      String cursor = HistoryCursor.encode(position);
      assertThat(pattern.matcher(cursor).matches()).as("seed " + seed + ": " + cursor).isTrue();
    }
    assertThat(pattern.matcher(HistoryCursor.encode(new TxPosition(Long.MAX_VALUE, Limits.BLOCK_TXS_MAX - 1))).matches())
        .isTrue();
  }
}
