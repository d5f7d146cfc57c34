package dev.cairn.node.cli;

import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.GenesisAccount;
import dev.cairn.genesis.GenesisConfig;
import dev.cairn.genesis.GenesisWriter;
import dev.cairn.genesis.network.GeneratedNetwork;
import dev.cairn.genesis.network.NetworkGenerator;
import dev.cairn.genesis.network.NetworkSpec;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Role;
import dev.cairn.node.loadgen.BenchReport;
import dev.cairn.node.loadgen.LatencyStats;
import dev.cairn.node.loadgen.LoadRun;
import dev.cairn.node.loadgen.NodeProcess;
import dev.cairn.node.loadgen.PresignedLoad;
import dev.cairn.node.loadgen.ProcessSample;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {
      "Load generator: presigned transfers submitted over JSON-RPC batches at a fixed rate (or open loop),",
      "each followed to finality; reports committed tx/s, submit-to-final latency, losses, rejections, and",
      "CPU / peak RSS of every node process. See docs/performance.md."
    },
    subcommands = {BenchCommand.Single.class, BenchCommand.Bft.class})
final class BenchCommand implements Runnable {
  static final String CHAIN_ID = "cairn-bench";

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Options every scenario shares. */
  static final class LoadOptions {
    @Option(names = "--duration-s", defaultValue = "60", paramLabel = "S", description = "Measured window (default ${DEFAULT-VALUE}).")
    double durationSeconds;

    @Option(names = "--warmup-s", defaultValue = "5", paramLabel = "S", description = "Warm-up before the window, excluded (default ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--rate", defaultValue = "10000", paramLabel = "TX_PER_S", description = "Target submit rate; 0 = open loop (default ${DEFAULT-VALUE}).")
    long ratePerSecond;

    @Option(names = "--open-loop-txs-per-s", defaultValue = "20000", paramLabel = "N",
        description = "Open loop only: presign for this rate (default ${DEFAULT-VALUE}).")
    long openLoopRateGuess;

    @Option(names = "--batch", defaultValue = "250", paramLabel = "N", description = "Transactions per JSON-RPC batch (default ${DEFAULT-VALUE}).")
    int batchLength;

    @Option(names = "--connections", defaultValue = "8", paramLabel = "N", description = "HTTP clients sending in parallel (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--accounts", defaultValue = "2000", paramLabel = "K", description = "Funded member accounts sending (default ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--block-period-ms", defaultValue = "250", paramLabel = "MILLIS", description = "Genesis block period (default ${DEFAULT-VALUE}).")
    long blockPeriodMillis;

    @Option(names = "--drain-s", defaultValue = "30", paramLabel = "S", description = "Wait this long after the last submission for finality (default ${DEFAULT-VALUE}).")
    double drainSeconds;

    @Option(names = "--node-jvm-opts", defaultValue = "-Xmx2g", paramLabel = "OPTS", description = "JVM options of each node process (default ${DEFAULT-VALUE}).")
    String nodeJvmOptions;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Genesis, keys and node data (default: a fresh temp dir, kept for its logs).")
    Path workDir;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the results as JSON here.")
    Path out;
  }

  @Command(name = "single", mixinStandardHelpOptions = true,
      description = "Scenario (a): one validator process (QBFT with n=1), load on its JSON-RPC.")
  static final class Single implements Callable<Integer> {
    @Mixin LoadOptions options;

    @Override
    public Integer call() throws Exception {
      PrintStream out = System.out;
      Path work = options.workDir != null ? Files.createDirectories(options.workDir) : Files.createTempDirectory("cairn-bench-");
      String loadBefore = loadAverage();
      out.println("bench: work dir " + work + "  load average " + loadBefore);
      KeyPair validator = KeyPair.fromSeedText("cairn-bench-validator-0");
      List<KeyPair> accounts = PresignedLoad.accounts(options.accounts);
      Path genesis = writeGenesis(work, List.of(validator), accounts, options.blockPeriodMillis);
      Path key = work.resolve("node0.key");
      KeyFiles.writeNodeKey(key, validator);
      LoadRun.Settings settings = settingsFor(options, List.of());
      int txs = LoadRun.txsNeeded(settings, options.openLoopRateGuess);
      long signStart = System.nanoTime();
      PresignedLoad load = PresignedLoad.sign(CHAIN_ID, accounts, txs);
      out.printf(Locale.ROOT, "bench: signed %d transfers from %d accounts in %.1f s%n", txs, accounts.size(),
          (System.nanoTime() - signStart) / 1e9);
      Path data = work.resolve("node0");
      Files.createDirectories(data);
      int port = freePort();
      try (NodeProcess node = NodeProcess.start("node0", ownJar(), List.of(options.nodeJvmOptions.split("\\s+")),
          List.of("--genesis", genesis.toString(), "--node-key", key.toString(), "--data-dir", data.toString()),
          port, data.resolve("node.log"), Duration.ofSeconds(60))) {
        out.println("bench: node0 pid " + node.pid() + " rpc " + node.rpcUrl());
        return runAndReport(options, out, "single", List.of(node), settingsFor(options, List.of(node.rpcUrl())), load, loadBefore);
      }
    }
  }

  static Integer runAndReport(LoadOptions options, PrintStream out, String scenario, List<NodeProcess> nodes,
      LoadRun.Settings settings, PresignedLoad load, String loadBefore) throws Exception {
    List<ProcessSample> atStart = new ArrayList<>();
    List<ProcessSample> atEnd = new ArrayList<>();
    LoadRun.Outcome outcome = new LoadRun(settings, load).run(out, new LoadRun.WindowListener() {
      @Override
      public void windowStarted() {
        nodes.forEach(n -> atStart.add(ProcessSample.of(n.pid())));
        atStart.add(ProcessSample.of(ProcessHandle.current().pid()));
      }

      @Override
      public void windowEnded() {
        nodes.forEach(n -> atEnd.add(ProcessSample.of(n.pid())));
        atEnd.add(ProcessSample.of(ProcessHandle.current().pid()));
      }
    });
    List<BenchReport.ProcessFigures> figures = new ArrayList<>();
    for (int i = 0; i < atStart.size() && i < atEnd.size(); i++) {
      String name = i < nodes.size() ? nodes.get(i).name() : "load generator";
      figures.add(new BenchReport.ProcessFigures(name, atEnd.get(i).pid(), atEnd.get(i).cpuPercentSince(atStart.get(i)),
          ProcessSample.of(atEnd.get(i).pid()).peakRssKib() / 1024));
    }
    BenchReport report = new BenchReport(scenario, nodes.size(), settings.ratePerSecond(), settings.batchLength(),
        settings.connections(), options.accounts, options.blockPeriodMillis, settings.warmupSeconds(),
        settings.durationSeconds(), outcome.submitted(), outcome.accepted(), outcome.rejected(),
        outcome.committedInWindow(), outcome.committedInWindow() / settings.durationSeconds(), outcome.lost(),
        outcome.latency() == null ? LatencyStats.EMPTY : outcome.latency(), new java.util.TreeMap<>(outcome.rejectedByCode()),
        figures, loadBefore, loadAverage());
    out.println();
    out.print(report.toTable());
    if (options.out != null) {
      Files.writeString(options.out, report.toJsonText() + "\n");
      out.println("  results written to " + options.out);
    }
    return outcome.lost() == 0 ? 0 : 2;
  }

  @Command(name = "bft", mixinStandardHelpOptions = true,
      description = "Scenario (b): N validator processes on libp2p (cairn genesis new-network layout), load spread over their JSON-RPC.")
  static final class Bft implements Callable<Integer> {
    @Mixin LoadOptions options;

    @Option(names = "--validators", defaultValue = "4", paramLabel = "N", description = "Validators (default ${DEFAULT-VALUE}).")
    int validators;

    @Override
    public Integer call() throws Exception {
      PrintStream out = System.out;
      Path work = options.workDir != null ? Files.createDirectories(options.workDir) : Files.createTempDirectory("cairn-bench-");
      String loadBefore = loadAverage();
      out.println("bench: work dir " + work + "  load average " + loadBefore);
      ConsensusParameters d = ConsensusParameters.DEFAULTS;
      ConsensusParameters consensus = new ConsensusParameters(options.blockPeriodMillis, d.roundTimeoutMillis(),
          d.roundTimeoutMillisMax(), 50_000, 32 * 1024 * 1024, false);
      int basePort = 20_000 + new java.util.Random().nextInt(20_000);
      Path netDir = work.resolve("net");
      GeneratedNetwork network = new NetworkGenerator(KeyPair::generate).generate(new NetworkSpec(validators, 0, CHAIN_ID,
          (System.currentTimeMillis() / 1000) * 1000, consensus, basePort, basePort + 200, NetworkSpec.DEFAULT_DEV_BALANCE), netDir);
      List<KeyPair> accounts = PresignedLoad.accounts(options.accounts);
      // Same validators and parameters; the bench accounts added to the generated ones.
      List<GenesisAccount> funded = new ArrayList<>(network.genesis().accounts());
      accounts.forEach(a -> funded.add(new GenesisAccount(a.address(), 1_000_000_000L, EnumSet.of(Role.MEMBER))));
      GenesisConfig g = network.genesis();
      // Replaced before any node ever started on it: this chain exists only for this bench run.
      Files.delete(netDir.resolve(NetworkGenerator.GENESIS_FILE));
      GenesisWriter.write(netDir.resolve(NetworkGenerator.GENESIS_FILE),
          new GenesisConfig(g.chainId(), g.genesisTimeMillis(), g.consensus(), g.validators(), funded, g.observers()));
      LoadRun.Settings plan = settingsFor(options, List.of());
      int txs = LoadRun.txsNeeded(plan, options.openLoopRateGuess);
      long signStart = System.nanoTime();
      PresignedLoad load = PresignedLoad.sign(CHAIN_ID, accounts, txs);
      out.printf(Locale.ROOT, "bench: signed %d transfers from %d accounts in %.1f s%n", txs, accounts.size(),
          (System.nanoTime() - signStart) / 1e9);
      List<NodeProcess> nodes = new ArrayList<>();
      try {
        for (GeneratedNetwork.Node n : network.nodes()) {
          nodes.add(NodeProcess.start(n.name(), ownJar(), List.of(options.nodeJvmOptions.split("\\s+")),
              List.of("--config", n.dir().resolve("config.toml").toString()), n.rpcPort(), n.dir().resolve("node.log"),
              Duration.ofSeconds(60)));
          out.println("bench: " + n.name() + " pid " + nodes.getLast().pid() + " rpc " + nodes.getLast().rpcUrl());
        }
        for (NodeProcess n : nodes) {
          n.awaitPeers(validators - 1, Duration.ofSeconds(60));
        }
        out.println("bench: every node has " + (validators - 1) + " peers");
        return runAndReport(options, out, "bft", nodes, settingsFor(options, nodes.stream().map(NodeProcess::rpcUrl).toList()),
            load, loadBefore);
      } finally {
        for (NodeProcess n : nodes) {
          n.close();
        }
      }
    }
  }

  static LoadRun.Settings settingsFor(LoadOptions o, List<URI> urls) {
    List<URI> u = urls.isEmpty() ? List.of(URI.create("http://127.0.0.1:1/")) : urls;
    return new LoadRun.Settings(u, o.ratePerSecond, o.batchLength, o.connections, o.warmupSeconds, o.durationSeconds, o.drainSeconds);
  }

  static Path writeGenesis(Path work, List<KeyPair> validators, List<KeyPair> accounts, long blockPeriodMillis) {
    ConsensusParameters params = new ConsensusParameters(blockPeriodMillis, Math.max(2_000, 4 * blockPeriodMillis), 60_000,
        50_000, 32 * 1024 * 1024, false);
    List<GenesisAccount> funded = accounts.stream()
        .map(a -> new GenesisAccount(a.address(), 1_000_000_000L, EnumSet.of(Role.MEMBER))).toList();
    Path file = work.resolve("genesis.json");
    GenesisWriter.write(file, new GenesisConfig(CHAIN_ID, System.currentTimeMillis(), params,
        validators.stream().map(KeyPair::publicKey).toList(), funded, List.of()));
    return file;
  }

  static Path ownJar() throws java.net.URISyntaxException {
    Path jar = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("bench starts nodes from the node jar; run it as ./cairn bench (found " + jar + ")");
    }
    return jar;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
