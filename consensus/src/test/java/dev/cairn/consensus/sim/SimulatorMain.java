package dev.cairn.consensus.sim;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Command line for the simulator (docs/consensus.md, "Running the simulator"):
 *
 * <pre>
 * --scenario NAME --seed S [--heights H] [--trace]   replay one seed (prints the trace with --trace)
 * --scenario NAME --seeds N [--from S0] [--heights H] run seeds S0 .. S0+N-1, print failing seeds
 * --scenario A,B,C --seeds N                          the same for several scenarios, with wall time each
 * --scenario A,B,C --seeds N --chunk C                soak: C seeds of each scenario in turn, running totals
 * --bench [--heights H]                               calm n=4 for H heights (default 1000), CPU time
 * </pre>
 */
public final class SimulatorMain {
  private SimulatorMain() {}

  public static void main(String[] args) {
    String scenarioName = "n4-byz1";
    long seed = 0;
    long seeds = 0;
    long from = 0;
    int heights = -1;
    boolean trace = false;
    boolean bench = false;
    long chunk = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--scenario" -> scenarioName = args[++i];
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--seeds" -> seeds = Long.parseLong(args[++i]);
        case "--from" -> from = Long.parseLong(args[++i]);
        case "--heights" -> heights = Integer.parseInt(args[++i]);
        case "--trace" -> trace = true;
        case "--bench" -> bench = true;
        case "--chunk" -> chunk = Long.parseLong(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (bench) {
      bench(heights < 0 ? 1_000 : heights);
      return;
    }
    if (chunk > 0) {
      System.exit(soakInChunks(scenarioName.split(","), from, seeds, chunk, heights < 0 ? SimSweep.HEIGHTS : heights) ? 0 : 1);
    }
    if (scenarioName.contains(",")) {
      boolean ok = true;
      for (String name : scenarioName.split(",")) {
        long startNanos = System.nanoTime();
        SimSweep.Outcome outcome = SimSweep.run(Scenario.byName(name, heights < 0 ? SimSweep.HEIGHTS : heights), from, seeds);
        System.out.println(outcome.report() + " wallMillis=" + (System.nanoTime() - startNanos) / 1_000_000);
        ok &= outcome.failures().isEmpty();
      }
      System.exit(ok ? 0 : 1);
    }
    Scenario scenario = Scenario.byName(scenarioName, heights < 0 ? SimSweep.HEIGHTS : heights);
    if (seeds == 0) {
      SimResult result = new Simulation(scenario, seed, trace).run();
      result.trace().forEach(System.out::println);
      System.out.println(result.summary());
      System.exit(result.ok() ? 0 : 1);
    }
    SimSweep.Outcome outcome = SimSweep.run(scenario, from, seeds);
    System.out.println(outcome.report());
    System.exit(outcome.failures().isEmpty() ? 0 : 1);
  }

  /**
   * Runs every scenario's seeds in chunks, round-robin (chunk 1 of each scenario, then chunk 2, ...), printing
   * each chunk's report and running totals: a soak cut short still covers every scenario equally.
   */
  private static boolean soakInChunks(String[] names, long from, long seeds, long chunk, int heights) {
    boolean ok = true;
    long[] violations = new long[names.length];
    long[] millis = new long[names.length];
    for (long start = from; start < from + seeds; start += chunk) {
      for (int i = 0; i < names.length; i++) {
        long count = Math.min(chunk, from + seeds - start);
        long startNanos = System.nanoTime();
        SimSweep.Outcome outcome = SimSweep.run(Scenario.byName(names[i], heights), start, count);
        millis[i] += (System.nanoTime() - startNanos) / 1_000_000;
        violations[i] += outcome.failures().size();
        ok &= outcome.failures().isEmpty();
        System.out.println("seeds " + start + ".." + (start + count - 1) + " " + outcome.report());
        System.out.println("TOTAL " + names[i] + " seeds=" + (start + count - from) + " violations=" + violations[i]
            + " wallMillis=" + millis[i]);
        System.out.flush();
      }
    }
    return ok;
  }

  /** Runs a calm network of 4 validators for {@code heights} heights; prints CPU and wall time. */
  private static void bench(int heights) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    // One short run first so that the JIT has seen the code; the figure is for the second run.
    new Simulation(Scenario.calm(4, 50), 1, false).run();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long wallStart = System.nanoTime();
    SimResult result = new Simulation(Scenario.calm(4, heights), 1, false).run();
    long cpuMillis = (threads.getCurrentThreadCpuTime() - cpuStart) / 1_000_000;
    long wallMillis = (System.nanoTime() - wallStart) / 1_000_000;
    System.out.println(result.summary());
    System.out.println("bench: validators=4 heights=" + result.minHonestHeight() + " cpuMillis=" + cpuMillis
        + " wallMillis=" + wallMillis + " events=" + result.events());
    System.exit(result.ok() ? 0 : 1);
  }
}
