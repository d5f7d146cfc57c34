package dev.cairn.tools.loadgen;

import java.util.Arrays;

/**
 * Submit-to-final latencies of one run, in milliseconds. Percentiles use the nearest-rank method (the
 * smallest sample with at least p% of the samples at or below it), so every reported figure is a latency
 * some transaction actually saw.
 */
public record LatencyStats(long count, double p50Millis, double p95Millis, double p99Millis, double maxMillis, double meanMillis) {
  public static final LatencyStats EMPTY = new LatencyStats(0, 0, 0, 0, 0, 0);

  /** Computes the summary of {@code nanos} (copied, the argument is not reordered). */
  public static LatencyStats ofNanos(long[] nanos) {
    if (nanos.length == 0) {
      return EMPTY;
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double sum = 0;
    for (long n : sorted) {
      sum += n;
    }
    return new LatencyStats(sorted.length, millis(percentile(sorted, 50)), millis(percentile(sorted, 95)),
        millis(percentile(sorted, 99)), millis(sorted[sorted.length - 1]), millis((long) (sum / sorted.length)));
  }

  /** Nearest-rank percentile of an ascending array; {@code percent} in (0, 100]. */
  static long percentile(long[] sorted, double percent) {
    if (sorted.length == 0 || percent <= 0 || percent > 100) {
      throw new IllegalArgumentException("need samples and a percent in (0, 100]");
    }
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return sorted[Math.max(1, rank) - 1];
  }

  private static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }
}
