package dev.cairn.adversary;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What an attack did and what it saw the target do, as named counters ({@code connections_opened=…}), in the
 * order the attack reported them.
 */
public record AttackReport(String attack, long elapsedMillis, Map<String, Long> counters) {
  public AttackReport {
    counters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counters));
  }

  public long counter(String name) {
    return counters.getOrDefault(name, 0L);
  }

  /** One {@code key=value} line, as the tool prints it. */
  public String line() {
    return "attack=" + attack + " elapsed_ms=" + elapsedMillis + " "
        + counters.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
  }
}
