package dev.cairn.consensus.sim;

import java.util.ArrayList;
import java.util.List;

/** Runs one scenario over a range of seeds and collects the failing ones with their replay commands. */
public final class SimSweep {
  /** Heights per seed in the CI and soak sweeps: enough for several proposer rotations and a GST. */
  public static final int HEIGHTS = 8;
  /** Failing seeds kept in a report (a broken engine fails most of them). */
  static final int FAILURES_REPORTED_MAX = 5;

  private SimSweep() {}

  public record Outcome(Scenario scenario, long seeds, List<SimResult> failures, long maxStallAfterGstMillis,
      int maxRoundAfterGst, long evidence) {
    public String report() {
      StringBuilder out = new StringBuilder();
      out.append(scenario.name()).append(": seeds=").append(seeds).append(" violations=").append(failures.size())
          .append(" maxStallAfterGstMillis=").append(maxStallAfterGstMillis)
          .append(" (bound ").append(scenario.stallBoundMillis()).append(")")
          .append(" maxRoundAfterGst=").append(maxRoundAfterGst).append(" evidence=").append(evidence);
      for (SimResult failure : failures.subList(0, Math.min(failures.size(), FAILURES_REPORTED_MAX))) {
        out.append("\n  FAILED ").append(failure.summary()).append("\n  replay: ").append(failure.replayCommand());
      }
      return out.toString();
    }
  }

  public static Outcome run(Scenario scenario, long fromSeed, long seeds) {
    List<SimResult> failures = new ArrayList<>();
    long maxStall = 0;
    int maxRound = 0;
    long evidence = 0;
    for (long seed = fromSeed; seed < fromSeed + seeds; seed++) {
      SimResult result = new Simulation(scenario, seed, false).run();
      if (!result.ok()) {
        failures.add(result);
      }
      maxStall = Math.max(maxStall, result.maxStallAfterGstMillis());
      maxRound = Math.max(maxRound, result.maxRoundAfterGst());
      evidence += result.evidence();
    }
    return new Outcome(scenario, seeds, failures, maxStall, maxRound, evidence);
  }
}
