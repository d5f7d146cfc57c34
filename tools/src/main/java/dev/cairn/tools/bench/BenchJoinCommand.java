package dev.cairn.tools.bench;

import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.network.GeneratedNetwork;
import dev.cairn.genesis.network.NetworkSpec;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.store.ChainStore;
import dev.cairn.ledger.store.StoreConfig;
import dev.cairn.tools.loadgen.BenchWorkspace;
import dev.cairn.tools.loadgen.ChainForge;
import dev.cairn.tools.loadgen.JoinWatch;
import dev.cairn.tools.loadgen.NodeProcess;
import dev.cairn.tools.loadgen.PresignedLoad;
import dev.cairn.tools.testnet.FundedNetwork;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "join", mixinStandardHelpOptions = true,
    description = {
      "Scenario (e): how long a fresh observer takes to join a long chain with a large state, by state sync and by",
      "full replay. Forges the chain offline with the node's own block executor, RocksDB store and the generated",
      "validators' keys (no consensus run: 100,000 blocks would take a day), copies it to every validator (RocksDB",
      "checkpoints), starts the validators serving snapshots, then times one observer joining by state sync and",
      "another by block sync from genesis, one after the other, each from its launch until it is ready (JSON-RPC up,",
      "cairn_syncing false, at most one block below a validator's head while the validators keep finalizing).",
      "See docs/performance.md, \"Joining\"."
    })
final class BenchJoinCommand implements Callable<Integer> {
  @Option(names = "--accounts", defaultValue = "1000000", paramLabel = "N",
      description = "State accounts the forged chain creates (default ${DEFAULT-VALUE}).")
  int stateAccounts;

  @Option(names = "--blocks", defaultValue = "100000", paramLabel = "N", description = "Forged blocks (default ${DEFAULT-VALUE}).")
  long blocks;

  @Option(names = "--creations-per-block", defaultValue = "2000", paramLabel = "N",
      description = "Account-creating transfers per block at the start of the chain (default ${DEFAULT-VALUE}).")
  int creationsPerBlock;

  @Option(names = "--transfers-per-block", defaultValue = "4", paramLabel = "N",
      description = "Transfers to random state accounts in each later block (default ${DEFAULT-VALUE}).")
  int transfersPerBlock;

  @Option(names = "--senders", defaultValue = "1000", paramLabel = "K", description = "Funded sending accounts (default ${DEFAULT-VALUE}).")
  int senders;

  @Option(names = "--validators", defaultValue = "4", paramLabel = "N", description = "Validators (default ${DEFAULT-VALUE}).")
  int validators;

  @Option(names = "--block-period-ms", defaultValue = "1000", paramLabel = "MILLIS",
      description = "Genesis block period; the validators make empty blocks at it while the observers join (default ${DEFAULT-VALUE}).")
  long blockPeriodMillis;

  @Option(names = "--snapshot-interval", defaultValue = "1000", paramLabel = "N",
      description = "sync.snapshot-interval of the validators and the state-syncing observer (default ${DEFAULT-VALUE}).")
  long snapshotInterval;

  @Option(names = "--forge-node-cache-entries", defaultValue = "1000000", paramLabel = "N",
      description = "State-tree node cache of the forge's store (default ${DEFAULT-VALUE}; the nodes keep their configured one).")
  int forgeNodeCacheEntries;

  @Option(names = "--node-jvm-opts", defaultValue = "-Xms1g -Xmx1g -XX:MaxDirectMemorySize=256m -XX:+UseParallelGC",
      paramLabel = "OPTS", description = "JVM options of each validator (default ${DEFAULT-VALUE}).")
  String nodeJvmOptions;

  @Option(names = "--observer-jvm-opts", defaultValue = "-Xms2g -Xmx2g -XX:MaxDirectMemorySize=256m -XX:+UseParallelGC",
      paramLabel = "OPTS", description = "JVM options of both observers (default ${DEFAULT-VALUE}).")
  String observerJvmOptions;

  @Option(names = "--ready-timeout-s", defaultValue = "7200", paramLabel = "S", description = "Give up on a join after this long (default ${DEFAULT-VALUE}).")
  long readyTimeoutSeconds;

  @Option(names = "--skip-replay", description = "Time the state sync only.")
  boolean skipReplay;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "Network, chain data and logs (default: a fresh temp dir, deleted at the end).")
  Path workDir;

  @Option(names = "--keep", description = "Keep the temp work dir after the run.")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    if (validators < 1 || snapshotInterval < 1 || blocks < snapshotInterval) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
          "need >= 1 validator and 1 <= --snapshot-interval <= --blocks");
    }
    try (BenchWorkspace workspace = BenchWorkspace.open(workDir, keep, out)) {
      String loadAtStart = BenchCommand.loadAverage();
      out.println("bench: work dir " + workspace.dir() + "  load average " + loadAtStart);
      List<KeyPair> accounts = PresignedLoad.accounts(senders);
      GeneratedNetwork network = network(workspace.dir(), accounts);
      List<GeneratedNetwork.Node> validatorNodes = network.nodes().subList(0, validators);
      List<KeyPair> validatorKeys = validatorNodes.stream().map(n -> KeyFiles.readNodeKey(n.dir().resolve("node.key"))).toList();
      ChainForge.Plan plan = new ChainForge.Plan(stateAccounts, blocks, creationsPerBlock, transfersPerBlock, blockPeriodMillis);
      out.printf(Locale.ROOT, "bench: forging %d blocks creating %d accounts (%d per block), then %d transfers per block; load average %s%n",
          blocks, stateAccounts, creationsPerBlock, transfersPerBlock, BenchCommand.loadAverage());
      Path forged = dataDir(validatorNodes.getFirst()).resolve("chain");
      ChainForge.Result result;
      try (ChainStore store = ChainStore.open(forged, StoreConfig.DEFAULTS.withNodeCacheEntriesMax(forgeNodeCacheEntries))) {
        result = new ChainForge(network.genesis(), validatorKeys, accounts, plan, out).forge(store);
        for (int i = 1; i < validators; i++) {
          long start = System.nanoTime();
          Path copy = dataDir(validatorNodes.get(i)).resolve("chain");
          Files.createDirectories(copy.getParent());
          store.checkpoint(copy);
          out.printf(Locale.ROOT, "bench: copied the chain to %s (RocksDB checkpoint) in %.1f s%n", validatorNodes.get(i).name(),
              (System.nanoTime() - start) / 1e9);
        }
      }
      long forgedBytes = bytesUnder(forged);
      out.printf(Locale.ROOT, "bench: forged height %d (%s), %d txs in %.0f s; store %s; load average %s%n", result.height(),
          result.headHash().shortHex(), result.txs(), result.seconds(), mib(forgedBytes), BenchCommand.loadAverage());

      List<NodeProcess> running = new ArrayList<>();
      for (GeneratedNetwork.Node n : validatorNodes) {
        running.add(workspace.adopt(NodeProcess.launch(n.name(), jvm(nodeJvmOptions), runArgs(n, List.of(
            "--set", "sync.snapshot-interval=" + snapshotInterval)), n.rpcPort(), n.dir().resolve("node.log"))));
      }
      for (NodeProcess p : running) {
        p.awaitReady(Duration.ofSeconds(600));
        p.awaitPeers(validators - 1, Duration.ofSeconds(120));
      }
      NodeProcess reference = running.getFirst();
      out.println("bench: " + validators + " validators up at height " + new dev.cairn.rpc.client.RpcClient(reference.rpcUrl(),
          Duration.ofSeconds(5)).blockNumber() + ", serving snapshots every " + snapshotInterval + " heights");

      GeneratedNetwork.Node stateNode = network.nodes().get(validators);
      JoinWatch.Joined bySnapshot = join(workspace, stateNode, reference, List.of("--sync", "state",
          "--set", "sync.snapshot-interval=" + snapshotInterval), "state sync", out);
      long stateBytes = bytesUnder(dataDir(stateNode));
      JoinWatch.Joined byReplay = null;
      long replayBytes = 0;
      GeneratedNetwork.Node replayNode = network.nodes().get(validators + 1);
      if (!skipReplay) {
        byReplay = join(workspace, replayNode, reference, List.of(), "full replay", out);
        replayBytes = bytesUnder(dataDir(replayNode));
      }
      String loadAtEnd = BenchCommand.loadAverage();
      out.println();
      out.printf(Locale.ROOT, "  %-20s %d accounts, %d blocks (%d txs), %d validators, snapshot every %d heights%n", "chain",
          stateAccounts, result.height(), result.txs(), validators, snapshotInterval);
      out.printf(Locale.ROOT, "  %-20s %s (validator's store after the forge)%n", "forged store", mib(forgedBytes));
      out.printf(Locale.ROOT, "  %-20s %.1f s to ready, at height %d (validators at %d); data dir %s%n", "state sync",
          bySnapshot.seconds(), bySnapshot.height(), bySnapshot.referenceHeight(), mib(stateBytes));
      if (byReplay != null) {
        out.printf(Locale.ROOT, "  %-20s %.1f s to ready, at height %d (validators at %d); data dir %s%n", "full replay",
            byReplay.seconds(), byReplay.height(), byReplay.referenceHeight(), mib(replayBytes));
        out.printf(Locale.ROOT, "  %-20s state sync is %.1fx faster (target >= 10x: %s); under 60 s: %s%n", "ratio",
            byReplay.seconds() / bySnapshot.seconds(), byReplay.seconds() >= 10 * bySnapshot.seconds() ? "met" : "MISSED",
            bySnapshot.seconds() < 60 ? "met" : "MISSED");
      }
      out.printf(Locale.ROOT, "  %-20s %s at start, %s at end (1, 5, 15 min)%n", "load average", loadAtStart, loadAtEnd);
      return 0;
    }
  }

  private JoinWatch.Joined join(BenchWorkspace workspace, GeneratedNetwork.Node node, NodeProcess reference, List<String> extra,
      String how, PrintStream out) throws InterruptedException {
    out.println("bench: " + node.name() + " joins by " + how + "; load average " + BenchCommand.loadAverage());
    long launched = System.nanoTime();
    NodeProcess observer = workspace.adopt(NodeProcess.launch(node.name(), jvm(observerJvmOptions), runArgs(node, extra),
        node.rpcPort(), node.dir().resolve("node.log")));
    JoinWatch.Joined joined = JoinWatch.await(observer, reference, launched, Duration.ofSeconds(readyTimeoutSeconds), out);
    out.printf(Locale.ROOT, "bench: %s ready by %s in %.1f s at height %d; load average %s%n", node.name(), how, joined.seconds(),
        joined.height(), BenchCommand.loadAverage());
    observer.stop();
    return joined;
  }

  private GeneratedNetwork network(Path work, List<KeyPair> accounts) {
    ConsensusParameters d = ConsensusParameters.DEFAULTS;
    int blockTxsMax = Math.max(d.blockTxsMax(), Math.max(creationsPerBlock, transfersPerBlock));
    ConsensusParameters consensus = new ConsensusParameters(blockPeriodMillis, Math.max(d.roundTimeoutMillis(), 2 * blockPeriodMillis),
        d.roundTimeoutMillisMax(), blockTxsMax, d.blockBytesMax(), true);
    // The forged blocks are one period apart and must all lie in the past when the validators take over.
    long genesisTime = System.currentTimeMillis() - (blocks + 60) * blockPeriodMillis;
    int basePort = 20_000 + new java.util.Random().nextInt(20_000);
    return FundedNetwork.write(new NetworkSpec(validators, 2, BenchCommand.CHAIN_ID, genesisTime, consensus, basePort, basePort + 200,
        NetworkSpec.DEFAULT_DEV_BALANCE), work.resolve("net"), accounts, 1_000_000_000_000L);
  }

  private static List<String> runArgs(GeneratedNetwork.Node node, List<String> extra) {
    List<String> args = new ArrayList<>(List.of("--config", node.dir().resolve("config.toml").toString()));
    args.addAll(extra);
    return args;
  }

  private static List<String> jvm(String options) {
    return List.of(options.trim().split("\\s+"));
  }

  /** The data dir the generated config names ({@code data}, beside it). */
  private static Path dataDir(GeneratedNetwork.Node node) {
    return node.dir().resolve("data");
  }

  static long bytesUnder(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> {
        try {
          return Files.size(f);
        } catch (IOException e) {
          return 0; // removed meanwhile (a compaction)
        }
      }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot measure " + dir, e);
    }
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
  }
}
