package dev.cairn.tools.loadgen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and peak resident memory of a process, read from Linux {@code /proc/<pid>/stat} and
 * {@code /proc/<pid>/status}.
 *
 * @param cpuTicks user + system time in clock ticks (USER_HZ, 100 on Linux x86-64)
 * @param peakRssKib VmHWM: the peak resident set size so far
 * @param rssKib VmRSS: the resident set size now
 */
public record ProcessSample(long pid, long cpuTicks, long peakRssKib, long rssKib, long takenNanos) {
  static final long TICKS_PER_SECOND = 100;

  public static ProcessSample of(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) may hold spaces; fields after the closing parenthesis are fixed.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime (14), stime (15)
      java.util.List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
      return new ProcessSample(pid, ticks, statusKib(status, "VmHWM:"), statusKib(status, "VmRSS:"), System.nanoTime());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc for pid " + pid, e);
    }
  }

  static long peakRss(Iterable<String> statusLines) {
    return statusKib(statusLines, "VmHWM:");
  }

  static long statusKib(Iterable<String> statusLines, String field) {
    for (String line : statusLines) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
      }
    }
    return 0;
  }

  /** Average CPU use between {@code earlier} and this sample, in percent of one core. */
  public double cpuPercentSince(ProcessSample earlier) {
    double seconds = (takenNanos - earlier.takenNanos) / 1e9;
    if (seconds <= 0) {
      return 0;
    }
    return 100.0 * (cpuTicks - earlier.cpuTicks) / TICKS_PER_SECOND / seconds;
  }
}
