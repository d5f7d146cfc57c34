package dev.cairn.tools.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A node's wall clock set off the machine's with libfaketime (Debian package {@code faketime}): the library
 * is preloaded into the node's JVM and reads the offset from a file at most once a second, so a campaign can
 * step the clock of a running node, as an NTP correction or a broken time source would. The monotonic clock
 * (timers, timeouts) is left alone, as a real step leaves it.
 */
final class ClockSkew {
  private static final List<String> LIBRARY_DIRS = List.of("/usr/lib/x86_64-linux-gnu/faketime",
      "/usr/lib/aarch64-linux-gnu/faketime", "/usr/lib/faketime", "/usr/local/lib/faketime");

  private ClockSkew() {}

  /** The environment that gives a process the clock of {@code clockFile} (created at offset 0). */
  static Map<String, String> environment(Path clockFile) {
    write(clockFile, 0);
    return Map.of(
        "LD_PRELOAD", library().toString(),
        "FAKETIME_TIMESTAMP_FILE", clockFile.toAbsolutePath().toString(),
        "FAKETIME_CACHE_DURATION", "1",
        "FAKETIME_DONT_FAKE_MONOTONIC", "1");
  }

  static Path library() {
    Optional<Path> found = LIBRARY_DIRS.stream().map(d -> Path.of(d, "libfaketime.so.1")).filter(Files::isRegularFile)
        .findFirst();
    return found.orElseThrow(() -> new IllegalStateException("clock-skew needs libfaketime: install it with "
        + "scripts/ensure-packages.sh faketime (Debian package faketime)"));
  }

  /** Writes the offset atomically: libfaketime may read the file at any moment. */
  static void write(Path clockFile, double seconds) {
    String text = String.format(Locale.ROOT, "%+ds%n", Math.round(seconds));
    Path tmp = clockFile.resolveSibling(clockFile.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      Files.move(tmp, clockFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write clock offset to " + clockFile, e);
    }
  }
}
