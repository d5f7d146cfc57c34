package dev.cairn.tools.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.genesis.network.GeneratedNetwork;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.tools.loadgen.BenchWorkspace;
import dev.cairn.tools.loadgen.ChainAudit;
import dev.cairn.tools.loadgen.KillRecovery;
import dev.cairn.tools.loadgen.LoadRun;
import dev.cairn.tools.loadgen.NodeCrash;
import dev.cairn.tools.loadgen.NodeProcess;
import dev.cairn.tools.loadgen.PresignedLoad;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "crash", mixinStandardHelpOptions = true,
    description = {
      "Scenario (c): N validators + M observers on libp2p; one validator is killed (SIGKILL) and restarted "
          + "during the measurement window.",
      "Reports the committed tx/s series around the kill, the throughput recovery time and the victim's "
          + "catch-up, then audits every node's chain: every tx seen final must be in every node's blocks "
          + "(the restarted one and the observers included), with the same block hashes."
    })
final class BenchCrashCommand implements Callable<Integer> {
  /** How long the audit waits for every node to reach node-0's head after the drain. */
  static final long AUDIT_WAIT_MILLIS_MAX = 180_000;

  @Mixin BenchCommand.LoadOptions options;

  @Option(names = "--validators", defaultValue = "4", paramLabel = "N", description = "Validators (default ${DEFAULT-VALUE}).")
  int validators;

  @Option(names = "--observers", defaultValue = "1", paramLabel = "M", description = "Observers (default ${DEFAULT-VALUE}).")
  int observers;

  @Option(names = "--kill-node", paramLabel = "I", description = "Validator to kill, 1..N-1 (default: the last; node-0 follows finality).")
  Integer killNode;

  @Option(names = "--kill-at-s", defaultValue = "20", paramLabel = "S", description = "Kill this long after the window starts (default ${DEFAULT-VALUE}).")
  double killAtSeconds;

  @Option(names = "--down-s", defaultValue = "10", paramLabel = "S", description = "Restart this long after the kill (default ${DEFAULT-VALUE}).")
  double downSeconds;

  @Option(names = "--recovery-fraction", defaultValue = "0.9", paramLabel = "F",
      description = "Recovered = committed tx/s back to F x the pre-kill median (default ${DEFAULT-VALUE}).")
  double recoveryFraction;

  @Option(names = "--stable-windows", defaultValue = "3", paramLabel = "W",
      description = "... for W consecutive windows (default ${DEFAULT-VALUE}).")
  int stableWindows;

  @Option(names = "--recovery-window-s", defaultValue = "1", paramLabel = "S",
      description = "Width of the windows the recovery is judged on; wider for chains committing in bursts (default ${DEFAULT-VALUE}).")
  int recoveryWindowSeconds;

  @Option(names = "--recovery-target-s", defaultValue = "5", paramLabel = "S", description = "Target recovery time (default ${DEFAULT-VALUE}).")
  double recoveryTargetSeconds;

  @Option(names = "--load-on-victim", description = "Also submit to the killed validator (batches then fail over to another node).")
  boolean loadOnVictim;

  @Override
  public Integer call() throws Exception {
    int victimIndex = killNode == null ? validators - 1 : killNode;
    if (validators < 4 || victimIndex < 1 || victimIndex >= validators) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
          "need >= 4 validators (3 must stay a quorum) and --kill-node in 1.." + (validators - 1));
    }
    if (killAtSeconds < 2 || killAtSeconds + downSeconds >= options.durationSeconds) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
          "need --kill-at-s >= 2 and the kill and restart inside the window: kill-at + down < duration");
    }
    PrintStream out = System.out;
    try (BenchWorkspace workspace = BenchWorkspace.open(options.workDir, options.keep, out)) {
      String loadBefore = BenchCommand.loadAverage();
      out.println("bench: work dir " + workspace.dir() + "  load average " + loadBefore);
      List<KeyPair> accounts = PresignedLoad.accounts(options.accounts);
      GeneratedNetwork network = BenchCommand.benchNetwork(workspace.dir(), validators, observers, options, accounts);
      PresignedLoad load = BenchCommand.sign(options, out, accounts, new long[accounts.size()],
          i -> accounts.get((i + 1) % accounts.size()).address());
      List<NodeProcess> nodes = BenchCommand.startNetwork(workspace, network, options, out);
      NodeProcess victim = nodes.get(victimIndex);
      List<NodeProcess> targets = new ArrayList<>();
      for (int i = 0; i < validators; i++) {
        if (i != victimIndex || loadOnVictim) {
          targets.add(nodes.get(i));
        }
      }
      out.println("bench: load on " + targets.stream().map(NodeProcess::name).toList() + "; " + victim.name()
          + " is killed " + killAtSeconds + " s into the window and restarted " + downSeconds + " s later");
      NodeCrash crash = new NodeCrash(victim, nodes.getFirst(), killAtSeconds, downSeconds, out);
      return BenchCommand.runAndReport(options, out, "crash", nodes,
          BenchCommand.settingsFor(options, targets.stream().map(NodeProcess::rpcUrl).toList()), load, loadBefore,
          new BenchCommand.RunHooks() {
            @Override
            public void windowStarted(long nowNanos) {
              crash.startAt(nowNanos);
            }

            @Override
            public boolean finish(LoadRun run, LoadRun.Outcome outcome, ObjectNode json, PrintStream o) throws Exception {
              NodeCrash.Timeline timeline = crash.await();
              boolean recovered = reportRecovery(outcome, timeline, json, o);
              boolean audited = audit(nodes, load, run.finalTxs(), json, o);
              return recovered && audited;
            }
          });
    }
  }

  private boolean reportRecovery(LoadRun.Outcome outcome, NodeCrash.Timeline timeline, ObjectNode json, PrintStream out) {
    long[] series = outcome.committedPerSecond();
    double kill = (timeline.killNanos() - outcome.startNanos()) / 1e9;
    int windowStart = (int) Math.ceil(options.warmupSeconds);
    int windowEnd = (int) Math.floor(options.warmupSeconds + options.durationSeconds);
    KillRecovery r = KillRecovery.measure(series, windowStart, windowEnd, kill, recoveryFraction, stableWindows,
        recoveryWindowSeconds, options.ratePerSecond);
    double restarted = (timeline.restartedNanos() - outcome.startNanos()) / 1e9;
    double caughtUp = timeline.caughtUpNanos() == 0 ? Double.NaN : (timeline.caughtUpNanos() - outcome.startNanos()) / 1e9;
    out.printf(Locale.ROOT, "  %-18s kill t=%.1fs, restarted (RPC up) t=%.1fs, caught up t=%.1fs (since load start)%n",
        "crash", kill, restarted, caughtUp);
    out.printf(Locale.ROOT, "  %-18s pre-kill median %.0f tx/s, threshold %.0f tx/s (%.0f%% of the smaller of it and the offered"
        + " rate, %d windows of %d s)%n", "recovery", r.preKillMedianPerSecond(), r.thresholdPerSecond(), 100 * recoveryFraction,
        stableWindows, recoveryWindowSeconds);
    String verdict = !r.measurable() ? "not measurable: nothing committed in the whole windows before the kill (longer --warmup-s?)"
        : r.recoverySeconds().isEmpty() ? "NOT recovered in the window"
        : String.format(Locale.ROOT, "%.1f s after the kill (target <= %.1f s: %s)", r.recoverySeconds().getAsDouble(),
            recoveryTargetSeconds, r.recoveredWithin(recoveryTargetSeconds) ? "met" : "MISSED");
    out.printf(Locale.ROOT, "  %-18s %s; %d windows below threshold after the kill, min %d tx/s%n", "recovery time",
        verdict, r.windowsBelowThreshold(), r.minPerSecondAfterKill());
    out.println("  committed tx/s per second since load start, around the kill (K = kill, R = restart):");
    int from = Math.max(0, (int) kill - 5);
    int to = Math.min(series.length, (int) Math.ceil(Double.isNaN(caughtUp) ? restarted : caughtUp) + 10);
    for (int s = from; s < to; s++) {
      String mark = s == (int) kill ? " K" : s == (int) restarted ? " R" : "";
      out.printf(Locale.ROOT, "    t=%3d-%3ds %7d%s%n", s, s + 1, series[s], mark);
    }
    ObjectNode c = json.putObject("crash");
    c.put("victim", "node-" + (killNode == null ? validators - 1 : killNode)).put("killAtSeconds", round1(kill))
        .put("restartedAtSeconds", round1(restarted)).put("caughtUpAtSeconds", Double.isNaN(caughtUp) ? -1 : round1(caughtUp))
        .put("preKillMedianPerSecond", r.preKillMedianPerSecond()).put("thresholdPerSecond", r.thresholdPerSecond())
        .put("recoverySeconds", r.recoverySeconds().isPresent() ? round1(r.recoverySeconds().getAsDouble()) : -1)
        .put("recoveryTargetSeconds", recoveryTargetSeconds).put("windowsBelowThreshold", r.windowsBelowThreshold())
        .put("recoveryWindowSeconds", recoveryWindowSeconds)
        .put("definition", "recovery = end of the first whole window at/after the kill from which " + stableWindows
            + " consecutive windows commit >= " + recoveryFraction + " x min(median of the whole pre-kill windows, offered rate),"
            + " minus the kill time");
    return r.recoveredWithin(recoveryTargetSeconds);
  }

  /** Waits until every node reaches node-0's head, then checks each chain against node-0's and the final set. */
  private static boolean audit(List<NodeProcess> nodes, PresignedLoad load, BitSet seenFinal, ObjectNode json, PrintStream out)
      throws InterruptedException {
    ChainAudit audit = new ChainAudit();
    long height = audit.blockNumber(nodes.getFirst().rpcUrl());
    long deadline = System.nanoTime() + AUDIT_WAIT_MILLIS_MAX * 1_000_000;
    for (NodeProcess n : nodes) {
      while (audit.blockNumber(n.rpcUrl()) < height && System.nanoTime() < deadline) {
        Thread.sleep(250);
      }
    }
    ChainAudit.Chain reference = audit.read(nodes.getFirst().rpcUrl(), height, load);
    ArrayNode results = json.putArray("audit");
    boolean clean = true;
    out.printf(Locale.ROOT, "  %-18s %d txs seen final; every node's blocks 1..%d read back:%n", "audit", seenFinal.cardinality(), height);
    for (NodeProcess n : nodes) {
      long head = audit.blockNumber(n.rpcUrl());
      ChainAudit.NodeResult r = head < height
          ? new ChainAudit.NodeResult(n.name(), head, 0, seenFinal.cardinality(), 0)
          : ChainAudit.compare(n.name(), audit.read(n.rpcUrl(), height, load), reference, seenFinal);
      clean &= r.clean() && head >= height;
      out.printf(Locale.ROOT, "    %-8s head %d, %d txs in blocks 1..%d, %d final txs missing, %d block hashes differ%s%n",
          n.name(), head, r.txsInChain(), height, r.missingFinal(), r.hashMismatches(), head < height ? " (BEHIND)" : "");
      results.addObject().put("node", n.name()).put("head", head).put("txsInChain", r.txsInChain())
          .put("missingFinal", r.missingFinal()).put("hashMismatches", r.hashMismatches());
    }
    json.put("committedTxsLost", clean ? 0 : -1);
    out.println("  committed lost     " + (clean ? "0 (every final tx is in every node's chain)" : "SOME: see the audit above"));
    return clean;
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
