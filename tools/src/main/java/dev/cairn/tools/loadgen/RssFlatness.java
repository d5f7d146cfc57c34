package dev.cairn.tools.loadgen;

import java.util.List;

/**
 * Whether a process's resident memory stayed flat over a long run: FLAT when the largest RSS sample of the
 * last minute is within {@code toleranceFraction} of the largest sample of minute 2 (seconds 60-120 of the
 * measurement window; minute 1 is left out because heaps and caches are still filling). Needs a window of
 * at least {@link #WINDOW_SECONDS_MIN}, so that minute 2 and the last minute do not overlap.
 */
public record RssFlatness(Verdict verdict, long minute2MaxKib, long lastMinuteMaxKib) {
  public static final double WINDOW_SECONDS_MIN = 180;
  public static final double DEFAULT_TOLERANCE_FRACTION = 0.10;

  public enum Verdict {
    FLAT,
    GROWING,
    TOO_SHORT
  }

  /** One RSS reading; {@code seconds} counted from the measurement window's start. */
  public record Sample(double seconds, long rssKib) {}

  public static RssFlatness judge(List<Sample> samples, double windowSeconds, double toleranceFraction) {
    if (windowSeconds < WINDOW_SECONDS_MIN) {
      return new RssFlatness(Verdict.TOO_SHORT, 0, 0);
    }
    long minute2 = maxBetween(samples, 60, 120);
    long last = maxBetween(samples, windowSeconds - 60, windowSeconds);
    if (minute2 == 0 || last == 0) {
      return new RssFlatness(Verdict.TOO_SHORT, minute2, last);
    }
    boolean flat = last <= minute2 * (1 + toleranceFraction);
    return new RssFlatness(flat ? Verdict.FLAT : Verdict.GROWING, minute2, last);
  }

  /** The largest sample of each whole or partial minute of the window, minute 0 first; 0 for a minute without samples. */
  public static long[] perMinuteMaxKib(List<Sample> samples, double windowSeconds) {
    long[] max = new long[(int) Math.ceil(windowSeconds / 60)];
    for (Sample s : samples) {
      int minute = (int) (s.seconds() / 60);
      if (s.seconds() >= 0 && s.seconds() <= windowSeconds && minute < max.length) {
        max[minute] = Math.max(max[minute], s.rssKib());
      }
    }
    return max;
  }

  private static long maxBetween(List<Sample> samples, double fromSeconds, double toSeconds) {
    long max = 0;
    for (Sample s : samples) {
      if (s.seconds() >= fromSeconds && s.seconds() <= toSeconds) {
        max = Math.max(max, s.rssKib());
      }
    }
    return max;
  }
}
