package dev.cairn.tools.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KillRecoveryTest {
  // seconds:             0    1    2     3     4     5     6     7    8    9     10    11    12    13
  private static final long[] DIP = {50, 900, 1000, 1000, 1100, 1000, 1000, 200, 0, 300, 950, 1000, 1000, 990};

  @Test
  void recoveryIsTheEndOfTheFirstWindowOfASustainedReturnMinusTheKillTime() {
    // warm-up is second 0; the kill at t=6.5 s: whole pre-kill windows are seconds 1..5 (median 1000)
    KillRecovery r = KillRecovery.measure(DIP, 1, DIP.length, 6.5, 0.9, 3);
    assertEquals(1000, r.preKillMedianPerSecond());
    assertEquals(900, r.thresholdPerSecond());
    // windows from 7 on: 200, 0, 300 below; 950 (second 10) starts three windows >= 900
    assertEquals(11 - 6.5, r.recoverySeconds().getAsDouble(), 1e-9);
    assertEquals(3, r.windowsBelowThreshold());
    assertEquals(0, r.minPerSecondAfterKill());
    assertTrue(r.recoveredWithin(5));
    assertFalse(r.recoveredWithin(4));
  }

  @Test
  void oneGoodWindowBetweenDipsIsNotRecovery() {
    long[] series = {1000, 1000, 1000, 1000, 100, 1000, 100, 1000, 1000, 1000};
    KillRecovery r = KillRecovery.measure(series, 0, series.length, 4.0, 0.9, 3);
    assertEquals(8 - 4.0, r.recoverySeconds().getAsDouble(), 1e-9, "second 7 starts the first run of three; its window ends at 8");
    assertEquals(2, r.windowsBelowThreshold());
  }

  @Test
  void noDipRecoversInTheFirstWholeWindowAfterTheKill() {
    long[] series = {1000, 1000, 1000, 1000, 1000, 1000, 1000};
    KillRecovery r = KillRecovery.measure(series, 0, series.length, 2.3, 0.9, 3);
    assertEquals(4 - 2.3, r.recoverySeconds().getAsDouble(), 1e-9);
    assertEquals(0, r.windowsBelowThreshold());
  }

  @Test
  void neverHoldingTheThresholdLeavesTheRecoveryEmpty() {
    long[] series = {1000, 1000, 1000, 100, 950, 100, 950, 100};
    KillRecovery r = KillRecovery.measure(series, 0, series.length, 3.0, 0.9, 2);
    assertTrue(r.recoverySeconds().isEmpty());
    assertFalse(r.recoveredWithin(100));
  }

  @Test
  void theWindowEndBoundsTheJudgedSeconds() {
    // the drain after the window may flush a backlog; it must not count as recovery
    long[] series = {1000, 1000, 1000, 0, 0, 0, 5000, 5000, 5000};
    KillRecovery r = KillRecovery.measure(series, 0, 6, 3.0, 0.9, 1);
    assertTrue(r.recoverySeconds().isEmpty());
  }

  @Test
  void evenPreKillCountUsesTheMeanOfTheMiddleTwo() {
    long[] series = {100, 300, 500, 700, 0};
    assertEquals(400, KillRecovery.measure(series, 0, series.length, 4.0, 1, 1).preKillMedianPerSecond());
  }

  @Test
  void nothingCommittedBeforeTheKillIsNotMeasurable() {
    long[] series = {0, 0, 0, 0, 500, 500, 500};
    KillRecovery r = KillRecovery.measure(series, 0, series.length, 3.0, 0.9, 1);
    assertFalse(r.measurable());
    assertTrue(r.recoverySeconds().isEmpty());
  }

  @Test
  void burstyCommitsAreJudgedOnWiderWindows() {
    // one block every 2 s before the kill at t=8, every 6 s while a proposer is dead, every 2 s from t=20
    long[] series = {0, 2000, 0, 2000, 0, 2000, 0, 2000, 0, 0, 0, 0, 0, 6000, 0, 0, 0, 0, 0, 0, 2000, 0, 2000, 0, 2000, 0, 2000, 0};
    KillRecovery oneSecond = KillRecovery.measure(series, 0, series.length, 8.0, 0.9, 2);
    assertTrue(oneSecond.recoverySeconds().isEmpty(), "1-s windows alternate 0 and 2000: 900 is never held twice");
    KillRecovery twoSeconds = KillRecovery.measure(series, 0, series.length, 8.0, 0.9, 2, 2, 0);
    assertEquals(1000, twoSeconds.preKillMedianPerSecond());
    // 2-s windows from t=8: [8,10) 0, [10,12) 0, [12,14) 3000, [14,16) 0, ..., [20,22) 1000 and [22,24) 1000 hold
    assertEquals(22 - 8.0, twoSeconds.recoverySeconds().getAsDouble(), 1e-9);
    assertEquals(5, twoSeconds.windowsBelowThreshold());
  }

  @Test
  void aBacklogFlushBeforeTheKillDoesNotRaiseTheBarAboveTheOfferedRate() {
    // 500 tx/s offered; before the kill the chain flushes a backlog at 2000 tx/s, after it keeps up at 500
    long[] series = {2000, 2000, 2000, 2000, 0, 500, 500, 500, 500};
    KillRecovery uncapped = KillRecovery.measure(series, 0, series.length, 4.0, 0.9, 3, 1, 0);
    assertTrue(uncapped.recoverySeconds().isEmpty());
    KillRecovery capped = KillRecovery.measure(series, 0, series.length, 4.0, 0.9, 3, 1, 500);
    assertEquals(2000, capped.preKillMedianPerSecond());
    assertEquals(450, capped.thresholdPerSecond());
    assertEquals(6 - 4.0, capped.recoverySeconds().getAsDouble(), 1e-9);
  }

  @Test
  void aKillBeforeAnyWholeWindowIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> KillRecovery.measure(DIP, 5, DIP.length, 5.5, 0.9, 3));
    assertThrows(IllegalArgumentException.class, () -> KillRecovery.measure(DIP, 0, DIP.length, 5.5, 0, 3));
  }
}
