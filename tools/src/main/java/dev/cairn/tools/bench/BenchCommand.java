package dev.cairn.tools.bench;

import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.GenesisAccount;
import dev.cairn.genesis.GenesisConfig;
import dev.cairn.genesis.GenesisWriter;
import dev.cairn.genesis.network.GeneratedNetwork;
import dev.cairn.genesis.network.NetworkSpec;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Role;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.genesis.GenesisParser;
import dev.cairn.tools.loadgen.BenchReport;
import dev.cairn.tools.testnet.FundedNetwork;
import dev.cairn.tools.loadgen.BenchWorkspace;
import dev.cairn.tools.loadgen.RssSeries;
import dev.cairn.tools.loadgen.StateAccounts;
import dev.cairn.tools.loadgen.StateSetup;
import dev.cairn.tools.loadgen.LatencyStats;
import dev.cairn.tools.loadgen.LoadRun;
import dev.cairn.tools.loadgen.NodeProcess;
import dev.cairn.tools.loadgen.PresignedLoad;
import dev.cairn.tools.loadgen.ProcessSample;
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
import java.util.Set;
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
    subcommands = {BenchCommand.Single.class, BenchCommand.Bft.class, BenchCrashCommand.class, BenchAotCommand.class,
        BenchJoinCommand.class})
public final class BenchCommand implements Runnable {
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

    @Option(names = "--ramp-s", defaultValue = "0", paramLabel = "S",
        description = "Within the warm-up, raise the rate linearly from 10%% to the target over S seconds, so the"
            + " nodes' JIT warms up without a backlog (default ${DEFAULT-VALUE}: full rate from the start).")
    double rampSeconds;

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

    @Option(names = "--block-txs-max", defaultValue = "50000", paramLabel = "N", description = "Genesis limit of transactions per block (default ${DEFAULT-VALUE}).")
    int blockTxsMax;

    @Option(names = "--drain-s", defaultValue = "30", paramLabel = "S", description = "Wait this long after the last submission for finality (default ${DEFAULT-VALUE}).")
    double drainSeconds;

    @Option(names = "--node-jvm-opts", defaultValue = "-Xms1g -Xmx1g -XX:MaxDirectMemorySize=256m -XX:+AlwaysPreTouch -XX:+UseParallelGC", paramLabel = "OPTS", description = "JVM options of each node process (default ${DEFAULT-VALUE}).")
    String nodeJvmOptions;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Genesis, keys, node data and logs (default: a fresh temp dir, deleted at the end).")
    Path workDir;

    @Option(names = "--keep", description = "Keep the temp work dir (node logs, RocksDB data) after the run.")
    boolean keep;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the results as JSON here.")
    Path out;
  }

  @Command(name = "single", mixinStandardHelpOptions = true,
      description = {"Scenario (a): one validator process (QBFT with n=1), load on its JSON-RPC.",
          "Scenario (d) with --state-accounts N: N more receive-only accounts exist before the load (as many as the",
          "genesis may hold, the rest created by a setup phase of transfers), and each transfer goes to a random one."})
  static final class Single implements Callable<Integer> {
    @Mixin LoadOptions options;

    @Option(names = "--state-accounts", defaultValue = "0", paramLabel = "N",
        description = "Receive-only accounts in the state besides the senders; transfers go to random ones (default ${DEFAULT-VALUE}).")
    int stateAccounts;

    @Option(names = "--setup-pending-max", defaultValue = "40000", paramLabel = "N",
        description = "State setup: pause sending while the mempool holds more (default ${DEFAULT-VALUE}).")
    long setupPendingMax;

    @Override
    public Integer call() throws Exception {
      PrintStream out = System.out;
      try (BenchWorkspace workspace = BenchWorkspace.open(options.workDir, options.keep, out)) {
        Path work = workspace.dir();
        String loadBefore = loadAverage();
        out.println("bench: work dir " + work + "  load average " + loadBefore);
        KeyPair validator = KeyPair.fromSeedText("cairn-bench-validator-0");
        List<KeyPair> accounts = PresignedLoad.accounts(options.accounts);
        int inGenesis = Math.min(stateAccounts, Math.max(0, GenesisConfig.ACCOUNTS_MAX - accounts.size()));
        long writeStart = System.nanoTime();
        Path genesis = writeGenesis(work, List.of(validator), accounts, inGenesis, options.blockPeriodMillis, options.blockTxsMax);
        if (stateAccounts > 0) {
          out.printf(Locale.ROOT, "bench: genesis holds %d of the %d state accounts (%d bytes, written in %.1f s; limits %d accounts,"
              + " %d bytes)%n", inGenesis, stateAccounts, Files.size(genesis), (System.nanoTime() - writeStart) / 1e9,
              GenesisConfig.ACCOUNTS_MAX, GenesisParser.GENESIS_BYTES_MAX);
        }
        Path key = work.resolve("node0.key");
        KeyFiles.writeNodeKey(key, validator);
        Path data = work.resolve("node0");
        Files.createDirectories(data);
        long nodeStart = System.nanoTime();
        NodeProcess node = workspace.adopt(NodeProcess.launch("node0", List.of(options.nodeJvmOptions.split("\\s+")),
            List.of("--genesis", genesis.toString(), "--node-key", key.toString(), "--data-dir", data.toString()),
            freePort(), data.resolve("node.log"))).awaitReady(Duration.ofSeconds(300));
        out.printf(Locale.ROOT, "bench: node0 pid %d rpc %s, answering %.1f s after its start%n", node.pid(), node.rpcUrl(),
            (System.nanoTime() - nodeStart) / 1e9);
        long[] nonceBase = new long[accounts.size()];
        PresignedLoad.Recipients recipients = i -> accounts.get((i + 1) % accounts.size()).address();
        if (stateAccounts > 0) {
          StateSetup.Result setup = new StateSetup(node.rpcUrl(), CHAIN_ID, accounts, options.batchLength, options.connections,
              setupPendingMax, out).create(inGenesis, stateAccounts);
          out.printf(Locale.ROOT, "bench: setup created %d state accounts by transfer in %.1f s%n", setup.txs(), setup.seconds());
          nonceBase = setup.nonceBase();
          StateAccounts state = new StateAccounts(stateAccounts, 0x5eed);
          recipients = state::recipient;
        }
        PresignedLoad load = sign(options, out, accounts, nonceBase, recipients);
        String scenario = stateAccounts > 0 ? "single, " + stateAccounts + " state accounts" : "single";
        return runAndReport(options, out, scenario, List.of(node), settingsFor(options, List.of(node.rpcUrl())), load,
            loadBefore, new RunHooks() {});
      }
    }
  }

  static PresignedLoad sign(LoadOptions options, PrintStream out, List<KeyPair> accounts, long[] nonceBase,
      PresignedLoad.Recipients recipients) {
    int txs = LoadRun.txsNeeded(settingsFor(options, List.of()), options.openLoopRateGuess);
    long signStart = System.nanoTime();
    PresignedLoad load = PresignedLoad.sign(CHAIN_ID, accounts, txs, nonceBase, recipients);
    out.printf(Locale.ROOT, "bench: signed %d transfers from %d accounts in %.1f s%n", txs, accounts.size(),
        (System.nanoTime() - signStart) / 1e9);
    return load;
  }

  /** What a scenario adds to the common run: work at the window start, checks and figures at the end. */
  interface RunHooks {
    default void windowStarted(long nowNanos) {}

    /** Prints and records the scenario's own results; false fails the run (exit code 2). */
    default boolean finish(LoadRun run, LoadRun.Outcome outcome, ObjectNode json, PrintStream out) throws Exception {
      return true;
    }
  }

  static Integer runAndReport(LoadOptions options, PrintStream out, String scenario, List<NodeProcess> nodes,
      LoadRun.Settings settings, PresignedLoad load, String loadBefore, RunHooks hooks) throws Exception {
    List<ProcessSample> atStart = new ArrayList<>();
    List<ProcessSample> atEnd = new ArrayList<>();
    RssSeries rss = new RssSeries();
    long[] windowStart = {0};
    LoadRun run = new LoadRun(settings, load);
    LoadRun.Outcome outcome = run.run(out, new LoadRun.WindowListener() {
      @Override
      public void windowStarted() {
        windowStart[0] = System.nanoTime();
        nodes.forEach(n -> atStart.add(ProcessSample.of(n.pid())));
        atStart.add(ProcessSample.of(ProcessHandle.current().pid()));
        hooks.windowStarted(windowStart[0]);
      }

      @Override
      public void everySecond(long nowNanos) {
        if (windowStart[0] != 0) {
          rss.sample(nodes, windowStart[0], nowNanos);
        }
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
      boolean samePid = atEnd.get(i).pid() == atStart.get(i).pid();
      // A restarted node's CPU over the window is not one process's: reported as -1.
      figures.add(new BenchReport.ProcessFigures(name + (samePid ? "" : " (restarted)"), atEnd.get(i).pid(),
          samePid ? atEnd.get(i).cpuPercentSince(atStart.get(i)) : -1, ProcessSample.of(atEnd.get(i).pid()).peakRssKib() / 1024));
    }
    BenchReport report = new BenchReport(scenario, nodes.size(), settings.ratePerSecond(), settings.batchLength(),
        settings.connections(), options.accounts, options.blockPeriodMillis, settings.warmupSeconds(),
        settings.rampSeconds(), settings.durationSeconds(), outcome.submitted(), outcome.accepted(), outcome.rejected(),
        outcome.committedInWindow(), outcome.committedInWindow() / settings.durationSeconds(), outcome.blocksInWindow(),
        outcome.lost(),
        outcome.latency() == null ? LatencyStats.EMPTY : outcome.latency(), new java.util.TreeMap<>(outcome.rejectedByCode()),
        figures, loadBefore, loadAverage());
    out.println();
    out.print(report.toTable());
    out.print(rss.toTable(settings.durationSeconds()));
    if (outcome.resubmitted() > 0) {
      out.println("  resubmitted        " + outcome.resubmitted() + " batches sent again to another node after a transport failure");
    }
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode json = report.toJson(mapper);
    json.put("resubmittedBatches", outcome.resubmitted());
    rss.addTo(json, settings.durationSeconds());
    ArrayNode series = json.putArray("committedPerSecondSinceLoadStart");
    for (long c : outcome.committedPerSecond()) {
      series.add(c);
    }
    boolean ok = hooks.finish(run, outcome, json, out);
    if (options.out != null) {
      Files.writeString(options.out, mapper.writeValueAsString(json) + "\n");
      out.println("  results written to " + options.out);
    }
    return outcome.lost() == 0 && ok ? 0 : 2;
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
      try (BenchWorkspace workspace = BenchWorkspace.open(options.workDir, options.keep, out)) {
        String loadBefore = loadAverage();
        out.println("bench: work dir " + workspace.dir() + "  load average " + loadBefore);
        List<KeyPair> accounts = PresignedLoad.accounts(options.accounts);
        GeneratedNetwork network = benchNetwork(workspace.dir(), validators, 0, options, accounts);
        PresignedLoad load = sign(options, out, accounts, new long[accounts.size()],
            i -> accounts.get((i + 1) % accounts.size()).address());
        List<NodeProcess> nodes = startNetwork(workspace, network, options, out);
        return runAndReport(options, out, "bft", nodes, settingsFor(options, nodes.stream().map(NodeProcess::rpcUrl).toList()),
            load, loadBefore, new RunHooks() {});
      }
    }
  }

  /**
   * A {@code cairn genesis new-network} layout under {@code work/net} whose genesis is replaced by one with the
   * same validators, observers and parameters plus the bench accounts.
   */
  static GeneratedNetwork benchNetwork(Path work, int validators, int observers, LoadOptions options, List<KeyPair> accounts) {
    ConsensusParameters d = ConsensusParameters.DEFAULTS;
    ConsensusParameters consensus = new ConsensusParameters(options.blockPeriodMillis, d.roundTimeoutMillis(),
        d.roundTimeoutMillisMax(), options.blockTxsMax, 32 * 1024 * 1024, false);
    int basePort = 20_000 + new java.util.Random().nextInt(20_000);
    Path netDir = work.resolve("net");
    return FundedNetwork.write(new NetworkSpec(validators, observers, CHAIN_ID, (System.currentTimeMillis() / 1000) * 1000,
        consensus, basePort, basePort + 200, NetworkSpec.DEFAULT_DEV_BALANCE), netDir, accounts, 1_000_000_000L);
  }

  /** One process per generated node, adopted by the workspace; waits until every validator sees the others. */
  static List<NodeProcess> startNetwork(BenchWorkspace workspace, GeneratedNetwork network, LoadOptions options, PrintStream out)
      throws Exception {
    return startNetwork(workspace, network, options, out, i -> List.of());
  }

  /** {@link #startNetwork} with more JVM options for the node of index i (after {@code --node-jvm-opts}). */
  static List<NodeProcess> startNetwork(BenchWorkspace workspace, GeneratedNetwork network, LoadOptions options, PrintStream out,
      java.util.function.IntFunction<List<String>> moreJvmOptions) throws Exception {
    List<NodeProcess> nodes = new ArrayList<>();
    for (GeneratedNetwork.Node n : network.nodes()) {
      List<String> jvm = new ArrayList<>(List.of(options.nodeJvmOptions.split("\\s+")));
      jvm.addAll(moreJvmOptions.apply(nodes.size()));
      nodes.add(workspace.adopt(NodeProcess.launch(n.name(), jvm,
          List.of("--config", n.dir().resolve("config.toml").toString()), n.rpcPort(), n.dir().resolve("node.log")))
          .awaitReady(Duration.ofSeconds(60)));
      out.println("bench: " + n.name() + " (" + n.kind().name().toLowerCase(Locale.ROOT) + ") pid " + nodes.getLast().pid()
          + " rpc " + nodes.getLast().rpcUrl());
    }
    int validators = network.genesis().validators().size();
    for (int i = 0; i < nodes.size(); i++) {
      boolean validator = network.nodes().get(i).kind() == GeneratedNetwork.Kind.VALIDATOR;
      nodes.get(i).awaitPeers(validator ? validators - 1 : 1, Duration.ofSeconds(60));
    }
    out.println("bench: every validator has " + (validators - 1) + " peers, every observer at least one");
    return nodes;
  }

  static LoadRun.Settings settingsFor(LoadOptions o, List<URI> urls) {
    List<URI> u = urls.isEmpty() ? List.of(URI.create("http://127.0.0.1:1/")) : urls;
    if (o.rampSeconds < 0 || o.rampSeconds > o.warmupSeconds || (o.rampSeconds > 0 && o.ratePerSecond == 0)) {
      throw new IllegalArgumentException("--ramp-s " + o.rampSeconds + " must lie within --warmup-s " + o.warmupSeconds
          + " and needs --rate > 0; e.g. --warmup-s 60 --ramp-s 30");
    }
    return new LoadRun.Settings(u, o.ratePerSecond, o.batchLength, o.connections, o.warmupSeconds, o.rampSeconds, o.durationSeconds, o.drainSeconds);
  }

  /** Validators, the funded senders and {@code stateAccounts} receive-only accounts of balance 1 ({@link StateAccounts}). */
  static Path writeGenesis(Path work, List<KeyPair> validators, List<KeyPair> accounts, int stateAccounts, long blockPeriodMillis,
      int blockTxsMax) {
    ConsensusParameters params = new ConsensusParameters(blockPeriodMillis, Math.max(2_000, 4 * blockPeriodMillis), 60_000,
        blockTxsMax, 32 * 1024 * 1024, false);
    List<GenesisAccount> funded = new ArrayList<>(accounts.stream()
        .map(a -> new GenesisAccount(a.address(), 1_000_000_000L, EnumSet.of(Role.MEMBER))).toList());
    funded.addAll(java.util.stream.IntStream.range(0, stateAccounts).parallel()
        .mapToObj(i -> new GenesisAccount(StateAccounts.address(i), 1, Set.of())).toList());
    Path file = work.resolve("genesis.json");
    GenesisWriter.write(file, new GenesisConfig(CHAIN_ID, System.currentTimeMillis(), params,
        validators.stream().map(KeyPair::publicKey).toList(), funded, List.of()));
    return file;
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
