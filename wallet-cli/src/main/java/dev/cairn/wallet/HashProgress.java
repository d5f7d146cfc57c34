package dev.cairn.wallet;

import java.io.PrintWriter;

/**
 * Hears how far a file's hash got ({@link FileDigest#of}). On a terminal it is a progress line
 * ({@link #on}); into a pipe or a file it is {@link #NONE}, so captured output never holds its carriage returns.
 */
interface HashProgress {
  /** Draws nothing. */
  HashProgress NONE = new HashProgress() {
    @Override
    public void hashed(long bytes, long totalBytes) {}

    @Override
    public void done() {}
  };

  /** {@code bytes} of {@code totalBytes} are hashed so far; called once per buffer read. */
  void hashed(long bytes, long totalBytes);

  /** The hash ended (or failed): erase whatever was drawn. */
  void done();

  /** A progress line on {@code err} if {@code show} (the caller's terminal check), else {@link #NONE}. */
  static HashProgress on(PrintWriter err, boolean show, String label) {
    return show ? new ProgressLine(err, label) : NONE;
  }

  /**
   * {@code hashing NAME  1.2 GiB of 4.0 GiB  30%  850 MB/s}, redrawn in place at most four times a second and
   * erased when done; nothing for files under {@link #SHOW_BYTES_MIN}.
   */
  final class ProgressLine implements HashProgress {
    /** Smaller files hash in well under a second on any machine: no line worth drawing. */
    static final long SHOW_BYTES_MIN = 64L * 1024 * 1024;
    private static final long REDRAW_NANOS = 250_000_000L;
    private static final int LINE_WIDTH = 72;
    private static final int LABEL_CHARS_MAX = 24;
    private static final long MIB = 1024 * 1024;

    private final PrintWriter terminal;
    private final String label;
    private final long startNanos = System.nanoTime();
    private long drawnNanos;
    private boolean drawn;

    ProgressLine(PrintWriter terminal, String label) {
      this.terminal = terminal;
      this.label = label.length() > LABEL_CHARS_MAX ? label.substring(0, LABEL_CHARS_MAX - 1) + "…" : label;
    }

    @Override
    public void hashed(long bytes, long totalBytes) {
      if (totalBytes < SHOW_BYTES_MIN) {
        return;
      }
      long now = System.nanoTime();
      if (drawn && now - drawnNanos < REDRAW_NANOS && bytes < totalBytes) {
        return;
      }
      double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
      String line = String.format("hashing %s  %s of %s  %d%%  %.0f MB/s", label, size(bytes), size(totalBytes),
          bytes * 100 / totalBytes, bytes / 1e6 / seconds);
      terminal.print("\r" + (line.length() >= LINE_WIDTH ? line : line + " ".repeat(LINE_WIDTH - line.length())));
      terminal.flush();
      drawn = true;
      drawnNanos = now;
    }

    @Override
    public void done() {
      if (drawn) {
        terminal.print("\r" + " ".repeat(LINE_WIDTH) + "\r");
        terminal.flush();
        drawn = false;
      }
    }

    private static String size(long bytes) {
      return bytes < 1024 * MIB ? String.format("%d MiB", bytes / MIB) : String.format("%.1f GiB", bytes / (1024.0 * MIB));
    }
  }
}
