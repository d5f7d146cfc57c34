package dev.cairn.adversary;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one phase of {@link AttackSoakIT} measured, as one {@code attack-soak phase=...} line and one Markdown row.
 *
 * @param attackActed the attack's counter that shows it attacked, e.g. {@code heights_attacked=12}; "-" for the baseline
 * @param rssMaxKib per node, the largest VmRSS sampled during the phase (KiB; -1 when never sampled)
 * @param droppedVotes consensus votes the honest validators dropped during the phase (sum over nodes)
 * @param finalTxs honest transactions accepted and final; {@code lost} accepted but never final by the drain's end
 * @param rejectedByCode honest transactions refused, by JSON-RPC error code (-1: transport failure)
 */
record SoakFigures(String phase, String attackActed, long phaseSeconds, long rate, double heightsPerMinute, Map<Integer, Long> rssMaxKib,
    long droppedVotes, long submitted, long finalTxs, long lost, long rejected, Map<Integer, Long> rejectedByCode,
    double p50Millis, double p99Millis, String loadAtStart, String loadAtEnd) {
  SoakFigures {
    rssMaxKib = Map.copyOf(rssMaxKib);
    rejectedByCode = Map.copyOf(rejectedByCode);
  }

  String line() {
    return String.format(Locale.ROOT, "attack-soak phase=%s acted=%s phase_s=%d rate=%d heights_per_min=%.1f %s dropped_votes=%d"
            + " submitted=%d final=%d lost=%d rejected=%d rejected_codes=%s p50_ms=%.0f p99_ms=%.0f load_start=%s load_end=%s",
        phase, attackActed, phaseSeconds, rate, heightsPerMinute,
        rssMaxKib.entrySet().stream().sorted(Map.Entry.comparingByKey())
            .map(e -> "rss_max_mib_node" + e.getKey() + "=" + mib(e.getValue())).collect(Collectors.joining(" ")),
        droppedVotes, submitted, finalTxs, lost, rejected, codes(), p50Millis, p99Millis, loadAtStart, loadAtEnd);
  }

  /** A Markdown table of the phases, under {@code header}, to paste into docs/security.md. */
  static String table(List<SoakFigures> phases, String header) {
    StringBuilder out = new StringBuilder(header).append("\n\n")
        .append("| phase | attack did | heights/min | max RSS MiB (node-0/1/2/3) | honest votes dropped | honest txs final | lost | rejected (codes) | finality p50 / p99 ms | load avg start -> end |\n")
        .append("|---|---|---:|---|---:|---:|---:|---|---|---|\n");
    for (SoakFigures f : phases) {
      String rss = java.util.stream.IntStream.range(0, 4)
          .mapToObj(i -> f.rssMaxKib.containsKey(i) ? mib(f.rssMaxKib.get(i)) : "-").collect(Collectors.joining(" / "));
      out.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %s | %d | %d | %d | %d%s | %.0f / %.0f | %s -> %s |%n",
          f.phase, f.attackActed, f.heightsPerMinute, rss, f.droppedVotes, f.finalTxs, f.lost, f.rejected,
          f.rejected == 0 ? "" : " (" + f.codes() + ")", f.p50Millis, f.p99Millis, f.loadAtStart, f.loadAtEnd));
    }
    return out.toString();
  }

  private String codes() {
    if (rejectedByCode.isEmpty()) return "none";
    return rejectedByCode.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
  }

  private static String mib(long kib) {
    return kib < 0 ? "-" : Long.toString(kib / 1024);
  }
}
