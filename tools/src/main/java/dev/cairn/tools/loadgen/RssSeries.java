package dev.cairn.tools.loadgen;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Resident memory (VmRSS) of each node process sampled once a second over the measurement window, by node
 * name (a restarted node keeps its name under a new pid; a node that is down has no sample for that second).
 */
public final class RssSeries {
  private final Map<String, List<RssFlatness.Sample>> byNode = new LinkedHashMap<>();

  public synchronized void sample(List<NodeProcess> nodes, long windowStartNanos, long nowNanos) {
    double seconds = (nowNanos - windowStartNanos) / 1e9;
    for (NodeProcess node : nodes) {
      if (!node.isAlive()) {
        continue;
      }
      try {
        long rss = ProcessSample.of(node.pid()).rssKib();
        byNode.computeIfAbsent(node.name(), n -> new ArrayList<>()).add(new RssFlatness.Sample(seconds, rss));
      } catch (UncheckedIOException exitedMeanwhile) {
        // the process ended between isAlive and the read: no sample this second
      }
    }
  }

  public synchronized Map<String, RssFlatness> verdicts(double windowSeconds) {
    Map<String, RssFlatness> out = new LinkedHashMap<>();
    byNode.forEach((name, samples) -> out.put(name, RssFlatness.judge(samples, windowSeconds,
        RssFlatness.DEFAULT_TOLERANCE_FRACTION)));
    return out;
  }

  /** Per node: RSS at the start, middle and end of the window, its maximum, and the flatness verdict. */
  public synchronized String toTable(double windowSeconds) {
    StringBuilder out = new StringBuilder();
    Map<String, RssFlatness> verdicts = verdicts(windowSeconds);
    byNode.forEach((name, samples) -> {
      List<RssFlatness.Sample> inWindow = samples.stream().filter(s -> s.seconds() >= 0 && s.seconds() <= windowSeconds).toList();
      if (inWindow.isEmpty()) {
        return;
      }
      long max = inWindow.stream().mapToLong(RssFlatness.Sample::rssKib).max().orElse(0);
      RssFlatness f = verdicts.get(name);
      out.append(String.format(Locale.ROOT, "  %-18s start %d  middle %d  end %d  max %d MiB; %s%n", "rss " + name,
          mib(inWindow.getFirst()), mib(inWindow.get(inWindow.size() / 2)), mib(inWindow.getLast()), max / 1024,
          f.verdict() == RssFlatness.Verdict.TOO_SHORT ? "flatness: window < " + (int) RssFlatness.WINDOW_SECONDS_MIN + " s"
              : "flatness " + f.verdict() + " (last-minute max " + f.lastMinuteMaxKib() / 1024 + " MiB vs minute-2 max "
              + f.minute2MaxKib() / 1024 + " MiB, tolerance 10%)"));
      if (windowSeconds >= RssFlatness.WINDOW_SECONDS_MIN) {
        StringBuilder minutes = new StringBuilder();
        for (long kib : RssFlatness.perMinuteMaxKib(samples, windowSeconds)) {
          minutes.append(minutes.isEmpty() ? "" : " ").append(kib / 1024);
        }
        out.append(String.format(Locale.ROOT, "  %-18s %s MiB%n", "  max per minute", minutes));
      }
    });
    return out.toString();
  }

  public synchronized void addTo(ObjectNode root, double windowSeconds) {
    ObjectNode rss = root.putObject("rssSeries");
    rss.put("definition", "VmRSS every second, seconds from the window start; flat = last-minute max <= 1.10 x minute-2 max");
    Map<String, RssFlatness> verdicts = verdicts(windowSeconds);
    byNode.forEach((name, samples) -> {
      ObjectNode node = rss.putObject(name);
      RssFlatness f = verdicts.get(name);
      node.put("verdict", f.verdict().name()).put("minute2MaxMib", f.minute2MaxKib() / 1024)
          .put("lastMinuteMaxMib", f.lastMinuteMaxKib() / 1024);
      ArrayNode minutes = node.putArray("maxPerMinuteMib");
      for (long kib : RssFlatness.perMinuteMaxKib(samples, windowSeconds)) {
        minutes.add(kib / 1024);
      }
      ArrayNode points = node.putArray("samples");
      for (RssFlatness.Sample s : samples) {
        points.addArray().add(Math.round(s.seconds() * 10) / 10.0).add(s.rssKib() / 1024);
      }
    });
  }

  private static long mib(RssFlatness.Sample s) {
    return s.rssKib() / 1024;
  }
}
