package dev.cairn.wallet;

import java.io.PrintWriter;

/**
 * The progress line of a long hash ({@code hashing NAME  1.2 GiB of 4.0 GiB  30%  850 MB/s}), redrawn in place
 * at most four times a second and erased when done. Only on a terminal and only for large files: captured
 * output never holds its carriage returns ({@link #NONE}).
 */
class HashProgress {
  /** Smaller files hash in well under a second on any machine: no line worth drawing. */
  static final long SHOW_BYTES_MIN = 64L * 1024 * 1024;
  private static final long REDRAW_NANOS = 250_000_000L;
  private static final int LINE_WIDTH = 72;
  private static final int LABEL_CHARS_MAX = 24;

  /** Draws nothing. */
  static final HashProgress NONE = new HashProgress(null, "");

  private final PrintWriter terminal;
  private final String label;
  private final long startNanos = System.nanoTime();
  private long drawnNanos;
  private boolean drawn;

  private HashProgress(PrintWriter terminal, String label) {
    this.terminal = terminal;
    this.label = label;
  }

  /** A line on {@code err} if {@code show} (the caller's terminal check), else {@link #NONE}. */
  static HashProgress on(PrintWriter err, boolean show, String label) {
    return show ? new HashProgress(err, label.length() > LABEL_CHARS_MAX ? label.substring(0, LABEL_CHARS_MAX - 1) + "…" : label)
        : NONE;
  }

  void hashed(long bytes, long totalBytes) {
    if (terminal == null || totalBytes < SHOW_BYTES_MIN) {
      return;
    }
    long now = System.nanoTime();
    if (drawn && now - drawnNanos < REDRAW_NANOS && bytes < totalBytes) {
      return;
    }
    double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
    String line = String.format("hashing %s  %s of %s  %d%%  %.0f MB/s", label, gib(bytes), gib(totalBytes),
        totalBytes == 0 ? 100 : bytes * 100 / totalBytes, bytes / 1e6 / seconds);
    terminal.print("\r" + pad(line));
    terminal.flush();
    drawn = true;
    drawnNanos = now;
  }

  void done() {
    if (drawn) {
      terminal.print("\r" + " ".repeat(LINE_WIDTH) + "\r");
      terminal.flush();
      drawn = false;
    }
  }

  private static String pad(String line) {
    return line.length() >= LINE_WIDTH ? line : line + " ".repeat(LINE_WIDTH - line.length());
  }

  private static String gib(long bytes) {
    return String.format("%.1f GiB", bytes / (1024.0 * 1024 * 1024));
  }
}
