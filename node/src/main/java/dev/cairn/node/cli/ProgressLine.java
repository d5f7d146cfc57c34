package dev.cairn.node.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * One progress line every {@link #INTERVAL_NANOS} at most, with the rate since the start and the time left
 * at that rate: "height 1200 / 5000 (24%) 350 blocks/s, ETA 11 s".
 */
final class ProgressLine {
  static final long INTERVAL_NANOS = 2_000_000_000L;

  private final PrintWriter out;
  private final String verb;
  private final long startNanos = System.nanoTime();
  private long lastPrintNanos = startNanos;

  ProgressLine(PrintWriter out, String verb) {
    this.out = out;
    this.verb = verb;
  }

  /** {@code done} of {@code total} units so far, at {@code height}; prints if the interval has passed. */
  void update(long height, long toHeight, long done, long total, String extra) {
    long now = System.nanoTime();
    if (now - lastPrintNanos < INTERVAL_NANOS && done < total) {
      return;
    }
    lastPrintNanos = now;
    double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
    double rate = done / seconds;
    long etaSeconds = rate <= 0 ? -1 : Math.round((total - done) / rate);
    out.println(String.format(Locale.ROOT, "  %s height %d / %d (%d%%) %.0f blocks/s%s, ETA %s", verb, height, toHeight,
        total == 0 ? 100 : 100 * done / total, rate, extra, etaSeconds < 0 ? "?" : etaSeconds + " s"));
    out.flush();
  }

  double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
