package dev.cairn.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Puts the story of the child processes a failed test started into the test's own output: CI keeps the
 * build's output, not the log files under {@code target/}, and a multi-process failure ("the node answered
 * HTTP 500") is undiagnosable without the node's side. Register with {@code @RegisterExtension}, hand it each
 * child's log file with {@link #watch}; when the test fails it prints, per log, every line at WARN or ERROR
 * (with the stack lines that follow them) and the last lines, both bounded so a flood cannot drown the report.
 * The failure's own message also gets a one-line digest of the first error lines: build summaries keep little
 * more than that message.
 */
public final class ChildLogs implements AfterEachCallback, TestExecutionExceptionHandler {
  private static final int DIGEST_LINES = 4;
  private static final int DIGEST_CHARS_MAX = 1_000;
  private static final int PROBLEM_LINES_MAX = 60;
  private static final int TAIL_LINES = 40;
  private static final Pattern PROBLEM = Pattern.compile("\\b(WARN|ERROR)\\b|level=(warn|error)|Exception|Error:");
  private static final Pattern CONTINUATION = Pattern.compile("^(\\s+at |\\s*Caused by:|\\s+\\.\\.\\. \\d+ more)");

  private final List<Path> logs = new ArrayList<>();

  /** Reports this log if the current test fails; returns it for chaining. */
  public synchronized Path watch(Path log) {
    logs.add(log);
    return log;
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    List<Path> watched;
    synchronized (this) {
      watched = List.copyOf(logs);
    }
    StringBuilder digest = new StringBuilder();
    for (Path log : watched) {
      List<String> errors = problems(read(log)).stream()
          .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)) && !l.contains("WARN") && !l.contains("level=warn"))
          .toList();
      if (!errors.isEmpty()) {
        digest.append(" [").append(log.getFileName()).append(": ")
            .append(String.join(" / ", errors.subList(0, Math.min(DIGEST_LINES, errors.size())))).append(']');
      }
    }
    if (digest.isEmpty()) {
      throw failure;
    }
    String text = digest.length() > DIGEST_CHARS_MAX ? digest.substring(0, DIGEST_CHARS_MAX) + "..." : digest.toString();
    AssertionError withLogs = new AssertionError(failure.getClass().getSimpleName() + ": " + failure.getMessage()
        + " | child errors:" + text, failure);
    throw withLogs;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<Path> watched;
    synchronized (this) {
      watched = List.copyOf(logs);
      logs.clear();
    }
    Optional<Throwable> failure = context.getExecutionException();
    if (failure.isEmpty()) {
      return;
    }
    StringBuilder report = new StringBuilder();
    for (Path log : watched) {
      report.append(report(context.getDisplayName(), log));
    }
    System.out.print(report);
    System.out.flush();
  }

  /** The report for one log file: its problem lines, then its tail. */
  static String report(String test, Path log) {
    StringBuilder out = new StringBuilder();
    out.append("---- child log ").append(log).append(" (test ").append(test).append(" failed)\n");
    List<String> lines = read(log);
    List<String> problems = problems(lines);
    out.append("  warnings and errors (").append(problems.size()).append(" lines):\n");
    problems.subList(0, Math.min(PROBLEM_LINES_MAX, problems.size())).forEach(l -> out.append("  | ").append(l).append('\n'));
    if (problems.size() > PROBLEM_LINES_MAX) {
      out.append("  | ... ").append(problems.size() - PROBLEM_LINES_MAX).append(" more\n");
    }
    out.append("  last ").append(Math.min(TAIL_LINES, lines.size())).append(" of ").append(lines.size()).append(" lines:\n");
    lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()).forEach(l -> out.append("  | ").append(l).append('\n'));
    return out.toString();
  }

  private static List<String> read(Path log) {
    try {
      return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    } catch (IOException | UncheckedIOException e) {
      return List.of("(log unreadable: " + e.getMessage() + ")");
    }
  }

  /** WARN and ERROR lines, exception lines and the stack lines that follow them, in order. */
  static List<String> problems(List<String> lines) {
    List<String> problems = new ArrayList<>();
    boolean inTrace = false;
    for (String line : lines) {
      boolean take = PROBLEM.matcher(line).find() || (inTrace && CONTINUATION.matcher(line).find());
      inTrace = take;
      if (take) {
        problems.add(line);
      }
    }
    return problems;
  }
}
