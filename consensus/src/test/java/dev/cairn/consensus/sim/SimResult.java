package dev.cairn.consensus.sim;

import java.util.List;

/** The outcome of one seed: violations (empty when all invariants held), statistics, and the trace if recorded. */
public record SimResult(
    String scenario,
    int heights,
    long seed,
    List<String> violations,
    long minHonestHeight,
    long virtualMillis,
    long events,
    int maxRoundAfterGst,
    int evidence,
    long maxStallAfterGstMillis,
    List<String> trace) {

  public boolean ok() {
    return violations.isEmpty();
  }

  public String replayCommand() {
    return "mvn -B -o -q -pl consensus -am process-test-classes -Psim -Dsim.args=\"--scenario " + scenario
        + " --seed " + seed + " --heights " + heights + " --trace\"";
  }

  public String summary() {
    return scenario + " seed=" + seed + " minHonestHeight=" + minHonestHeight + " virtualMillis=" + virtualMillis + " events="
        + events + " maxRoundAfterGst=" + maxRoundAfterGst + " evidence=" + evidence
        + " maxStallAfterGstMillis=" + maxStallAfterGstMillis
        + (ok() ? " OK" : " VIOLATIONS=" + violations);
  }
}
