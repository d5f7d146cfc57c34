package dev.cairn.node.consensus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code event=consensus_counters} line per interval in which any counter moved: the consensus topic's
 * verdicts (duplicates, stale heights, overload...), messages and votes dropped from the consensus inbox, and
 * equivocation evidence, each cumulative since start. What an operator (or a multi-process attack test, which
 * reads only logs and RPC) looks at to see that a replay or vote flood is dropped cheaply and no honest vote
 * is lost; kept as plain counters so a metrics endpoint can export the same values.
 */
public final class ConsensusCountersLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConsensusCountersLog.class);
  /** How often the counters are looked at; a line is written only when one changed. */
  public static final long INTERVAL_MILLIS = 5_000;

  private final Supplier<Map<String, Long>> counters;
  private final ScheduledExecutorService timer;
  private Map<String, Long> last = Map.of();

  /** @param counters names ({@code snake_case}) to cumulative values, in the order they are to be printed */
  public ConsensusCountersLog(Supplier<Map<String, Long>> counters) {
    this.counters = Objects.requireNonNull(counters, "counters");
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "consensus-counters-log");
      t.setDaemon(true);
      return t;
    });
  }

  public void start() {
    timer.scheduleAtFixedRate(this::logIfChanged, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** The line that would be written now, whether or not anything changed (tests; the timer thread). */
  String line() {
    return line(new LinkedHashMap<>(counters.get()));
  }

  private static String line(Map<String, Long> values) {
    return "event=consensus_counters " + values.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
  }

  private void logIfChanged() {
    try {
      Map<String, Long> now = new LinkedHashMap<>(counters.get());
      if (!now.equals(last)) {
        last = now;
        log.info(line(now));
      }
    } catch (RuntimeException e) {
      log.warn("event=consensus_counters_failed error=\"{}\"", e.toString()); // never kill the timer
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
