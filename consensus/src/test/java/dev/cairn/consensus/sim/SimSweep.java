package dev.cairn.consensus.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/** Runs one scenario over a range of seeds and collects the failing ones with their replay commands. */
public final class SimSweep {
  /** Heights per seed in the CI and soak sweeps: enough for several proposer rotations and a GST. */
  public static final int HEIGHTS = 6;
  /** Failing seeds kept in a report (a broken engine fails most of them). */
  static final int FAILURES_REPORTED_MAX = 5;

  private SimSweep() {}

  public record Outcome(Scenario scenario, long seeds, List<SimResult> failures, long maxStallAfterGstMillis,
      int maxRoundAfterGst, long evidence, long seedsPastGst, long heights, long slowestSeed) {
    public String report() {
      StringBuilder out = new StringBuilder();
      out.append(scenario.name()).append(": seeds=").append(seeds).append(" violations=").append(failures.size())
          .append(" maxStallAfterGstMillis=").append(maxStallAfterGstMillis)
          .append(" (bound ").append(scenario.stallBoundMillis()).append(", seed ").append(slowestSeed).append(")")
          .append(" maxRoundAfterGst=").append(maxRoundAfterGst).append(" evidence=").append(evidence)
          .append(" seedsPastGst=").append(seedsPastGst).append(" heights=").append(heights);
      for (SimResult failure : failures.subList(0, Math.min(failures.size(), FAILURES_REPORTED_MAX))) {
        out.append("\n  FAILED ").append(failure.summary()).append("\n  replay: ").append(failure.replayCommand());
      }
      return out.toString();
    }
  }

  /** Runs the seeds on all cores (each run is independent and deterministic); reports in seed order. */
  public static Outcome run(Scenario scenario, long fromSeed, long seeds) {
    List<SimResult> results =
        LongStream.range(fromSeed, fromSeed + seeds)
            .parallel()
            .mapToObj(seed -> new Simulation(scenario, seed, false).run())
            .toList();
    List<SimResult> failures = new ArrayList<>();
    long maxStall = 0;
    int maxRound = 0;
    long evidence = 0;
    long pastGst = 0;
    long heights = 0;
    long slowestSeed = fromSeed;
    for (SimResult result : results) {
      if (result.maxStallAfterGstMillis() > maxStall) {
        slowestSeed = result.seed();
      }
      if (!result.ok()) {
        failures.add(result);
      }
      maxStall = Math.max(maxStall, result.maxStallAfterGstMillis());
      maxRound = Math.max(maxRound, result.maxRoundAfterGst());
      evidence += result.evidence();
      heights += result.minHonestHeight();
      if (result.virtualMillis() > scenario.gstMillis()) {
        pastGst++;
      }
    }
    return new Outcome(scenario, seeds, failures, maxStall, maxRound, evidence, pastGst, heights, slowestSeed);
  }
}
