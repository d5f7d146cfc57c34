package dev.cairn.genesis;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;

/**
 * The genesis time's text form: RFC 3339 ({@code 2026-01-01T00:00:00Z}, {@code 2026-01-01T02:00:00.250+02:00}),
 * held as milliseconds since the Unix epoch. Seconds and an offset are required, as RFC 3339 requires; a
 * fraction finer than milliseconds is refused rather than rounded, so the text always means exactly one value.
 */
public final class GenesisTime {
  private static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder()
      .parseCaseInsensitive()
      .append(DateTimeFormatter.ISO_LOCAL_DATE)
      .appendLiteral('T')
      .appendPattern("HH:mm:ss")
      .optionalStart()
      .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
      .optionalEnd()
      .appendOffset("+HH:MM", "Z")
      .toFormatter()
      .withResolverStyle(ResolverStyle.STRICT);

  private GenesisTime() {}

  /** Milliseconds since the epoch; throws {@link IllegalArgumentException} with a one-line reason. */
  public static long parseMillis(String text) {
    OffsetDateTime time;
    try {
      time = OffsetDateTime.parse(text, RFC_3339);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("expected RFC 3339 time such as 2026-01-01T00:00:00Z, got '" + text + "'");
    }
    if (time.getNano() % 1_000_000 != 0) {
      throw new IllegalArgumentException("more precise than milliseconds");
    }
    if (time.toInstant().isBefore(Instant.EPOCH)) {
      throw new IllegalArgumentException("must not be before 1970-01-01T00:00:00Z");
    }
    return time.toInstant().toEpochMilli();
  }

  /** UTC, with fractional seconds only when the time has them ({@link Instant#toString} is RFC 3339). */
  public static String format(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).toString();
  }
}
