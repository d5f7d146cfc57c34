package dev.cairn.tools.testnet;

import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.network.GeneratedNetwork;
import dev.cairn.genesis.network.NetworkGenerator;
import dev.cairn.genesis.network.NetworkSpec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.rpc.client.NodeInfo;
import dev.cairn.rpc.client.RpcClient;
import dev.cairn.rpc.client.RpcException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "testnet", mixinStandardHelpOptions = true,
    subcommands = TestnetCommand.Status.class,
    description = {
      "Start a local multi-validator network on 127.0.0.1: writes the network directory with the genesis",
      "generator if it does not exist yet (or reuses it), starts one node process per node, prints each",
      "RPC URL, and stops them all on Ctrl-C. Logs go to <dir>/node-<i>/node.log."
    })
public final class TestnetCommand implements Callable<Integer> {
  @Option(names = "--validators", defaultValue = "4", paramLabel = "N", description = "Validators of a NEW network (default ${DEFAULT-VALUE}).")
  int validators;

  @Option(names = "--observers", defaultValue = "0", paramLabel = "M", description = "Observers of a NEW network (default ${DEFAULT-VALUE}).")
  int observers;

  @Option(names = "--dir", defaultValue = "data/testnet", paramLabel = "DIR", description = "Network directory (default ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--chain-id", defaultValue = "cairn-testnet", description = "Chain id of a NEW network (default ${DEFAULT-VALUE}).")
  String chainId;

  @Option(names = "--base-port", defaultValue = "" + NetworkSpec.DEFAULT_BASE_PORT, description = "First p2p port (default ${DEFAULT-VALUE}).")
  int basePort;

  @Option(names = "--rpc-base-port", defaultValue = "" + NetworkSpec.DEFAULT_RPC_BASE_PORT, description = "First RPC port (default ${DEFAULT-VALUE}).")
  int rpcBasePort;

  @Option(names = "--block-period-ms", defaultValue = "1000", description = "Block period of a NEW network (default ${DEFAULT-VALUE}).")
  long blockPeriodMillis;

  @Option(names = "--heap", defaultValue = "512m", description = "-Xmx of each node process (default ${DEFAULT-VALUE}).")
  String heap;

  @Override
  public Integer call() throws Exception {
    if (!Files.exists(dir.resolve(NetworkGenerator.GENESIS_FILE))) {
      ConsensusParameters d = ConsensusParameters.DEFAULTS;
      ConsensusParameters consensus = new ConsensusParameters(blockPeriodMillis, d.roundTimeoutMillis(),
          d.roundTimeoutMillisMax(), d.blockTxsMax(), d.blockBytesMax(), d.emptyBlocks());
      NetworkSpec spec = new NetworkSpec(validators, observers, chainId, (System.currentTimeMillis() / 1000) * 1000,
          consensus, basePort, rpcBasePort, NetworkSpec.DEFAULT_DEV_BALANCE);
      GeneratedNetwork network = new NetworkGenerator(KeyPair::generate).generate(spec, dir);
      System.out.print(network.description());
    } else {
      System.out.println("reusing the network in " + dir + " (delete it for a new one)");
    }
    List<Integer> nodes = TestnetProcesses.nodeIndexes(dir);
    TestnetProcesses processes = new TestnetProcesses(dir, TestnetProcesses.nodeJava(heap));
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    // SIGINT (Ctrl-C) and SIGTERM both run this hook: every node gets SIGTERM, then SIGKILL after the grace.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping.set(true);
      System.out.println("stopping " + nodes.size() + " nodes");
      processes.close();
      stopped.countDown();
    }, "testnet-shutdown"));
    for (int index : nodes) {
      processes.start(index);
      System.out.printf("node-%d  rpc http://127.0.0.1:%d  log %s%n", index, TestnetProcesses.rpcPort(dir, index),
          dir.resolve("node-" + index).resolve("node.log"));
    }
    System.out.println("running; `cairn testnet status --dir " + dir + "` shows each node; Ctrl-C stops them all");
    java.util.Set<Integer> reportedDown = new java.util.HashSet<>();
    while (!stopped.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
      for (int index : nodes) {
        // Said once per node, and not while the hook is stopping them all.
        if (!stopping.get() && !processes.isAlive(index) && reportedDown.add(index)) {
          System.out.println("node-" + index + " is not running; see its node.log");
        }
      }
    }
    return 0;
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Height, peers and last block time of each node, via its RPC.")
  static final class Status implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "data/testnet", paramLabel = "DIR", description = "Network directory (default ${DEFAULT-VALUE}).")
    Path dir;

    @Override
    public Integer call() {
      System.out.printf("%-8s %-10s %-8s %-6s %-8s %s%n", "node", "role", "height", "peers", "pending", "last block");
      int down = 0;
      for (int index : TestnetProcesses.nodeIndexes(dir)) {
        int port = TestnetProcesses.rpcPort(dir, index);
        RpcClient client = new RpcClient(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(3));
        try {
          NodeInfo info = client.nodeInfo();
          String lastBlock = client.getLatestBlock(false)
              .map(block -> Instant.ofEpochMilli(block.path("timestampMillis").asLong()).toString()).orElse("-");
          System.out.printf("node-%-3d %-10s %-8d %-6d %-8d %s%n", index, info.validator() ? "validator" : "observer",
              info.headHeight(), info.peerCount(), info.pendingTransactions(), lastBlock);
        } catch (RpcException e) {
          down++;
          System.out.printf("node-%-3d %-10s (rpc 127.0.0.1:%d unreachable: %s)%n", index, "-", port, e.getMessage());
        }
      }
      return down == 0 ? 0 : 1;
    }
  }
}
