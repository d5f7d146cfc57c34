package dev.cairn.tools.loadgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one load-generator run measured. Counts cover the whole run; throughput and latency cover only
 * the measurement window (warm-up excluded).
 *
 * @param targetRatePerSecond 0 for open loop (as fast as the node answers)
 * @param lost accepted by a node but never final before the drain deadline: must be 0
 * @param rejectedByCode JSON-RPC error code to count of transactions refused with it
 */
public record BenchReport(
    String scenario,
    int nodes,
    long targetRatePerSecond,
    int batchLength,
    int connections,
    int accounts,
    long blockPeriodMillis,
    double warmupSeconds,
    double rampSeconds,
    double durationSeconds,
    long submitted,
    long accepted,
    long rejected,
    long committedInWindow,
    double committedPerSecond,
    long blocksInWindow,
    long lost,
    LatencyStats latency,
    SortedMap<Integer, Long> rejectedByCode,
    List<ProcessFigures> processes,
    String loadAverageBefore,
    String loadAverageAfter) {

  public BenchReport {
    rejectedByCode = new TreeMap<>(rejectedByCode);
    processes = List.copyOf(processes);
  }

  /** CPU (percent of one core, averaged over the window; -1 when it was restarted in it) and peak RSS of one process. */
  public record ProcessFigures(String name, long pid, double cpuPercent, long peakRssMib) {}

  public ObjectNode toJson(ObjectMapper mapper) {
    ObjectNode root = mapper.createObjectNode();
    root.put("scenario", scenario).put("nodes", nodes).put("targetRatePerSecond", targetRatePerSecond)
        .put("batchLength", batchLength).put("connections", connections).put("accounts", accounts)
        .put("blockPeriodMillis", blockPeriodMillis).put("warmupSeconds", warmupSeconds).put("rampSeconds", rampSeconds)
        .put("durationSeconds", durationSeconds).put("submitted", submitted).put("accepted", accepted)
        .put("rejected", rejected).put("committedInWindow", committedInWindow)
        .put("committedPerSecond", round1(committedPerSecond)).put("blocksInWindow", blocksInWindow).put("lost", lost);
    ObjectNode lat = root.putObject("latencyMillis");
    lat.put("count", latency.count()).put("p50", round1(latency.p50Millis())).put("p95", round1(latency.p95Millis()))
        .put("p99", round1(latency.p99Millis())).put("max", round1(latency.maxMillis())).put("mean", round1(latency.meanMillis()));
    ObjectNode codes = root.putObject("rejectedByCode");
    for (Map.Entry<Integer, Long> e : rejectedByCode.entrySet()) {
      codes.put(Integer.toString(e.getKey()), e.getValue());
    }
    var procs = root.putArray("processes");
    for (ProcessFigures p : processes) {
      procs.addObject().put("name", p.name()).put("pid", p.pid()).put("cpuPercent", round1(p.cpuPercent()))
          .put("peakRssMib", p.peakRssMib());
    }
    root.put("loadAverageBefore", loadAverageBefore).put("loadAverageAfter", loadAverageAfter);
    return root;
  }

  public String toJsonText() {
    try {
      ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      return mapper.writeValueAsString(toJson(mapper));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("report is always serializable", e);
    }
  }

  /** The human-readable table printed at the end of a run. */
  public String toTable() {
    StringBuilder out = new StringBuilder();
    row(out, "scenario", scenario + " (" + nodes + " node" + (nodes == 1 ? "" : "s") + ", block period " + blockPeriodMillis + " ms)");
    row(out, "load", (targetRatePerSecond == 0 ? "open loop" : targetRatePerSecond + " tx/s target") + ", batch "
        + batchLength + ", " + connections + " connections, " + accounts + " accounts");
    row(out, "window", fmt(durationSeconds) + " s after " + fmt(warmupSeconds) + " s warm-up"
        + (rampSeconds > 0 ? " (rate ramped up over its first " + fmt(rampSeconds) + " s)" : ""));
    row(out, "committed tx/s", fmt(committedPerSecond) + "  (" + committedInWindow + " final in window)");
    row(out, "blocks", blocksInWindow + " final in window" + (blocksInWindow > 0
        ? String.format(java.util.Locale.ROOT, ", %.0f txs each on average", (double) committedInWindow / blocksInWindow) : ""));
    row(out, "latency ms", "p50 " + fmt(latency.p50Millis()) + "  p95 " + fmt(latency.p95Millis()) + "  p99 "
        + fmt(latency.p99Millis()) + "  max " + fmt(latency.maxMillis()) + "  (n=" + latency.count() + ")");
    row(out, "submitted", submitted + "  accepted " + accepted + "  rejected " + rejected + "  lost " + lost);
    if (!rejectedByCode.isEmpty()) {
      row(out, "rejected by code", rejectedByCode.toString());
    }
    for (ProcessFigures p : processes) {
      String cpu = p.cpuPercent() < 0 ? "n/a" : fmt(p.cpuPercent()) + "% of a core";
      row(out, p.name(), "pid " + p.pid() + "  cpu " + cpu + "  peak rss " + p.peakRssMib() + " MiB");
    }
    row(out, "load average", "before " + loadAverageBefore + "  after " + loadAverageAfter);
    return out.toString();
  }

  private static void row(StringBuilder out, String name, String value) {
    out.append(String.format(Locale.ROOT, "  %-18s %s%n", name, value));
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
