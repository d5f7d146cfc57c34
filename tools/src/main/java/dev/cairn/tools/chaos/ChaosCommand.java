package dev.cairn.tools.chaos;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./cairn chaos}: fault campaigns on real node processes, judged by a checker over client histories. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
    description = {"Fault campaigns on a local testnet of real node processes (docs/reliability.md).",
        "Exit status: 0 when every run was clean, 1 when the checker found a violation, 2 on a usage error."},
    subcommands = {ChaosCommand.Run.class, ChaosCommand.Generate.class, ChaosCommand.Campaign.class})
public final class ChaosCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static Path workDir(Path given, String name) throws java.io.IOException {
    return given != null ? given : Files.createTempDirectory("cairn-chaos-" + name.replaceAll("[^A-Za-z0-9-]", "_") + "-");
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Runs one manifest (TOML) and checks it; the work dir keeps the logs, the history and the manifest.")
  static final class Run implements Callable<Integer> {
    @Parameters(paramLabel = "MANIFEST", description = "The manifest file (docs/reliability.md has the format).")
    Path manifest;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the testnet lives (default: a new temp dir).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
      Manifest m = Manifest.read(manifest);
      CampaignRun.Result r = new CampaignRun(m, workDir(workDir, m.name()), System.out).run();
      return r.clean() ? 0 : 1;
    }
  }

  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = "Prints (or writes) the manifest a seed generates: the same seed always gives the same manifest.")
  static final class Generate implements Callable<Integer> {
    @Option(names = "--seed", required = true, paramLabel = "SEED", description = "The generator's seed.")
    long seed;

    @Option(names = "--duration-s", defaultValue = "120", paramLabel = "S", description = "Load duration (default ${DEFAULT-VALUE}).")
    double durationSeconds;

    @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of standard output.")
    Path out;

    @Option(names = "--namespaces",
        description = "Also network faults (isolate, partition, one-way, loss, bandwidth) and clock skews, each node in "
            + "its own network namespace (root; nftables and libfaketime: scripts/ensure-packages.sh nft faketime).")
    boolean namespaces;


    @Option(names = "--kill-cycles", paramLabel = "N",
        description = "Instead: N SIGKILLs of a random validator, one at a time (with --every-s, --down-s, --senders, --rate).")
    Integer killCycles;

    @Option(names = "--every-s", defaultValue = "15", paramLabel = "S", description = "Kill cycles: one kill every S seconds (default ${DEFAULT-VALUE}).")
    double everySeconds;

    @Option(names = "--down-s", defaultValue = "4", paramLabel = "S", description = "Kill cycles: restart S seconds after the kill (default ${DEFAULT-VALUE}).")
    double downSeconds;

    @Option(names = "--senders", defaultValue = "600", paramLabel = "N", description = "Kill cycles: sender accounts (default ${DEFAULT-VALUE}).")
    int senders;

    @Option(names = "--rate", defaultValue = "1000", paramLabel = "TX_PER_S", description = "Kill cycles: transfers per second offered (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--in-flight", defaultValue = "8", paramLabel = "N",
        description = "Kill cycles: transactions each sender may have in flight (default ${DEFAULT-VALUE}).")
    int inFlight;

    @Override
    public Integer call() throws Exception {
      String toml = (killCycles != null
          ? ManifestGenerator.killCycles(seed, 4, killCycles, everySeconds, downSeconds, senders, rate, inFlight)
          : new ManifestGenerator(durationSeconds, namespaces).generate(seed)).toToml();
      if (out == null) {
        System.out.print(toml);
      } else {
        Files.writeString(out, toml, StandardCharsets.UTF_8);
      }
      return 0;
    }
  }

  @Command(name = "campaign", mixinStandardHelpOptions = true,
      description = {"Generates COUNT manifests from SEED and runs them one after another, then prints a summary.",
          "Manifest i uses the i-th seed of a SplittableRandom(SEED); each run prints its own seed to replay it with",
          "'chaos generate --seed S --out m.toml && chaos run m.toml'."})
  static final class Campaign implements Callable<Integer> {
    @Option(names = "--seed", defaultValue = "1", paramLabel = "SEED", description = "Campaign seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--count", defaultValue = "10", paramLabel = "N", description = "Manifests to run (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--duration-s", defaultValue = "120", paramLabel = "S", description = "Load duration per manifest (default ${DEFAULT-VALUE}).")
    double durationSeconds;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Parent of the runs' work dirs (default: a new temp dir).")
    Path workDir;

    @Option(names = "--namespaces",
        description = "Also network faults (isolate, partition, one-way, loss, bandwidth) and clock skews, each node in "
            + "its own network namespace (root; nftables and libfaketime: scripts/ensure-packages.sh nft faketime).")
    boolean namespaces;

    @Override
    public Integer call() throws Exception {
      PrintStream out = System.out;
      Path parent = workDir(workDir, "campaign");
      SplittableRandom seeds = new SplittableRandom(seed);
      ManifestGenerator generator = new ManifestGenerator(durationSeconds, namespaces);
      List<CampaignRun.Result> results = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Manifest m = generator.generate(seeds.nextLong());
        out.printf(Locale.ROOT, "chaos campaign run=%d/%d manifest-seed=%d%n", i + 1, count, m.seed());
        results.add(new CampaignRun(m, parent.resolve(String.format(Locale.ROOT, "run-%03d", i)), out).run());
      }
      long bad = results.stream().filter(r -> !r.clean()).count();
      double recoveryMax = results.stream().flatMap(r -> r.recoverySeconds().values().stream())
          .mapToDouble(Double::doubleValue).max().orElse(0);
      out.printf(Locale.ROOT, "chaos campaign seed=%d runs=%d faults=%d final-txs=%d violations-runs=%d recovery-max-s=%.1f%n",
          seed, results.size(), results.stream().mapToInt(r -> r.manifest().perturbations().size()).sum(),
          results.stream().mapToLong(CampaignRun.Result::finals).sum(), bad, recoveryMax);
      results.stream().filter(r -> !r.clean()).forEach(r -> out.println("chaos campaign failed manifest-seed="
          + r.manifest().seed() + " work=" + r.workDir()));
      return bad == 0 ? 0 : 1;
    }
  }
}
