package dev.cairn.tools.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

class RssFlatnessTest {
  private static List<RssFlatness.Sample> series(int seconds, IntToLongFunction rssMib) {
    List<RssFlatness.Sample> out = new ArrayList<>();
    for (int s = 0; s <= seconds; s++) {
      out.add(new RssFlatness.Sample(s, rssMib.applyAsLong(s) * 1024));
    }
    return out;
  }

  @Test
  void aPlateauAfterTheFirstMinuteIsFlat() {
    // grows in minute 1 (not judged), then wobbles around 800 MiB
    RssFlatness f = RssFlatness.judge(series(600, s -> s < 60 ? 300 + 8L * s : 800 + (s % 7) * 5), 600, 0.10);
    assertEquals(RssFlatness.Verdict.FLAT, f.verdict());
    assertEquals(830, f.minute2MaxKib() / 1024);
    assertEquals(830, f.lastMinuteMaxKib() / 1024);
  }

  @Test
  void steadyGrowthIsGrowing() {
    RssFlatness f = RssFlatness.judge(series(600, s -> 500 + s), 600, 0.10);
    assertEquals(RssFlatness.Verdict.GROWING, f.verdict());
    assertEquals(620, f.minute2MaxKib() / 1024);
    assertEquals(1100, f.lastMinuteMaxKib() / 1024);
  }

  @Test
  void theToleranceIsInclusive() {
    RssFlatness f = RssFlatness.judge(series(300, s -> s >= 240 ? 1100 : 1000), 300, 0.10);
    assertEquals(RssFlatness.Verdict.FLAT, f.verdict());
    assertEquals(RssFlatness.Verdict.GROWING,
        RssFlatness.judge(series(300, s -> s >= 240 ? 1101 : 1000), 300, 0.10).verdict());
  }

  @Test
  void windowsShorterThanThreeMinutesAreNotJudged() {
    assertEquals(RssFlatness.Verdict.TOO_SHORT, RssFlatness.judge(series(60, s -> 500), 60, 0.10).verdict());
    assertEquals(RssFlatness.Verdict.TOO_SHORT, RssFlatness.judge(List.of(), 600, 0.10).verdict());
  }

  @Test
  void perMinuteMaximaCoverTheWindowOnly() {
    List<RssFlatness.Sample> samples = series(200, s -> 100 + s);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {159, 219, 279, 290},
        java.util.Arrays.stream(RssFlatness.perMinuteMaxKib(samples, 190)).map(k -> k / 1024).toArray());
  }
}
