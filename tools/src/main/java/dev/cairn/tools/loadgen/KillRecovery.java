package dev.cairn.tools.loadgen;

import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * How committed throughput came back after a node was killed, from the per-second committed counts of a
 * run. Definitions (all times in seconds since the load started):
 * <ul>
 *   <li>pre-kill median: median committed tx/s over the whole 1-s windows inside the measurement window
 *       that end at or before the kill;</li>
 *   <li>threshold: {@code fraction} x that median;</li>
 *   <li>recovered at: the end of the first whole 1-s window starting at or after the kill from which
 *       {@code stableWindows} consecutive windows all reach the threshold; recovery time = recovered at
 *       minus the kill time. One window of the old rate is not recovery: a backlog flush can produce it.</li>
 * </ul>
 *
 * A pre-kill median of 0 (nothing committed before the kill) makes recovery unmeasurable: empty.
 *
 * @param recoverySeconds empty when throughput never held the threshold for {@code stableWindows} windows,
 *     or when nothing was committed before the kill
 * @param windowsBelowThreshold whole windows from the kill to the end of the series under the threshold
 */
public record KillRecovery(
    double killAtSeconds,
    double preKillMedianPerSecond,
    double thresholdPerSecond,
    OptionalDouble recoverySeconds,
    int windowsBelowThreshold,
    long minPerSecondAfterKill) {

  /**
   * The same judgement on windows of {@code windowSeconds} (aligned to the load start; each window's figure is
   * its average tx/s), for chains that commit in bursts a few seconds apart, where most 1-s windows hold no
   * block at all. Times in the result stay in seconds; the recovery time's resolution is one window.
   *
   * <p>With {@code offeredRatePerSecond > 0} the rate to return to is the smaller of the pre-kill median and
   * the offered rate: a chain working off a backlog before the kill commits above the offered rate, and
   * after the kill it can at most keep up with what is offered.
   */
  public static KillRecovery measure(long[] committedPerSecond, int windowStartSecond, int seriesEndSecond,
      double killAtSeconds, double fraction, int stableWindows, int windowSeconds, long offeredRatePerSecond) {
    if (windowSeconds < 1) {
      throw new IllegalArgumentException("windowSeconds must be >= 1, got " + windowSeconds);
    }
    long[] windows = windowSeconds == 1 ? committedPerSecond : perWindow(committedPerSecond, windowSeconds);
    int start = (windowStartSecond + windowSeconds - 1) / windowSeconds;
    KillRecovery r = judge(windows, start, seriesEndSecond / windowSeconds, killAtSeconds / windowSeconds, fraction,
        stableWindows, offeredRatePerSecond);
    return new KillRecovery(killAtSeconds, r.preKillMedianPerSecond, r.thresholdPerSecond,
        r.recoverySeconds.isPresent() ? OptionalDouble.of(r.recoverySeconds.getAsDouble() * windowSeconds) : r.recoverySeconds,
        r.windowsBelowThreshold, r.minPerSecondAfterKill);
  }

  /** Average tx/s of each {@code w}-second window of a per-second series (a last partial window is dropped). */
  static long[] perWindow(long[] perSecond, int w) {
    long[] out = new long[perSecond.length / w];
    for (int i = 0; i < out.length; i++) {
      long sum = 0;
      for (int s = i * w; s < (i + 1) * w; s++) {
        sum += perSecond[s];
      }
      out[i] = sum / w;
    }
    return out;
  }

  /**
   * @param committedPerSecond txs final in [s, s+1) seconds after the load started, index s
   * @param windowStartSecond first second of the measurement window (the warm-up is not "before the kill")
   * @param seriesEndSecond exclusive end of the seconds to judge (the measurement window's end)
   */
  public static KillRecovery measure(long[] committedPerSecond, int windowStartSecond, int seriesEndSecond,
      double killAtSeconds, double fraction, int stableWindows) {
    return judge(committedPerSecond, windowStartSecond, seriesEndSecond, killAtSeconds, fraction, stableWindows, 0);
  }

  private static KillRecovery judge(long[] committedPerSecond, int windowStartSecond, int seriesEndSecond,
      double killAtSeconds, double fraction, int stableWindows, long offeredRatePerSecond) {
    if (fraction <= 0 || fraction > 1 || stableWindows < 1) {
      throw new IllegalArgumentException("fraction must be in (0, 1] and stableWindows >= 1");
    }
    int end = Math.min(seriesEndSecond, committedPerSecond.length);
    int preEnd = (int) Math.floor(killAtSeconds); // windows [s, s+1) with s + 1 <= kill
    if (preEnd <= windowStartSecond) {
      throw new IllegalArgumentException("no whole 1-s window between the window start (" + windowStartSecond
          + " s) and the kill (" + killAtSeconds + " s)");
    }
    long[] before = Arrays.copyOfRange(committedPerSecond, windowStartSecond, preEnd);
    Arrays.sort(before);
    int n = before.length;
    double median = n % 2 == 1 ? before[n / 2] : (before[n / 2 - 1] + before[n / 2]) / 2.0;
    double threshold = fraction * (offeredRatePerSecond > 0 ? Math.min(median, offeredRatePerSecond) : median);
    int first = (int) Math.ceil(killAtSeconds);
    OptionalDouble recovery = OptionalDouble.empty();
    int below = 0;
    long min = Long.MAX_VALUE;
    for (int s = first; s < end; s++) {
      long c = committedPerSecond[s];
      min = Math.min(min, c);
      if (c < threshold) {
        below++;
      } else if (median > 0 && recovery.isEmpty() && holds(committedPerSecond, s, end, threshold, stableWindows)) {
        recovery = OptionalDouble.of(s + 1 - killAtSeconds);
      }
    }
    return new KillRecovery(killAtSeconds, median, threshold, recovery, below, min == Long.MAX_VALUE ? 0 : min);
  }

  private static boolean holds(long[] series, int from, int end, double threshold, int windows) {
    if (from + windows > end) {
      return false;
    }
    for (int s = from; s < from + windows; s++) {
      if (series[s] < threshold) {
        return false;
      }
    }
    return true;
  }

  /** False when nothing was committed in the whole windows before the kill: there is no rate to return to. */
  public boolean measurable() {
    return preKillMedianPerSecond > 0;
  }

  public boolean recoveredWithin(double seconds) {
    return recoverySeconds.isPresent() && recoverySeconds.getAsDouble() <= seconds;
  }
}
