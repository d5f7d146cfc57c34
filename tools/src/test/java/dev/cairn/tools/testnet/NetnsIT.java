package dev.cairn.tools.testnet;

import static dev.cairn.tools.testnet.ChainProbe.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.network.GeneratedNetwork;
import dev.cairn.genesis.network.NetworkGenerator;
import dev.cairn.genesis.network.NetworkSpec;
import dev.cairn.genesis.network.Placement;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.rpc.client.RpcClient;
import dev.cairn.tools.netns.NetnsBridge;
import dev.cairn.tools.NodeJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Four validators on four hosts, the hosts being Linux network namespaces on a private bridge that this
 * test creates (random names and 10.x.y.0/24 subnet) and deletes afterwards: each node listens on its own
 * namespace's address at the standard port 30333 and dials the others' addresses, as on separate machines
 * (the configs come from the generator's host placement, unedited).
 * Transfers become final with the same chain everywhere; then a validator loses its data directory, re-syncs
 * from genesis to the same hashes, and is needed for quorum once another validator stops. Skipped, with the
 * reason, without root or iproute2. Logs stay in {@code tools/target/netns-it/node-<i>/node.log}.
 */
class NetnsIT {
  private static final int VALIDATORS = 4;
  private static final int P2P_PORT = 30333;
  private static final int RPC_PORT = 8545;
  private static final int TXS = 12;
  private static final long STEP_TIMEOUT_MILLIS = 60_000;
  private static final long STOP_GRACE_MILLIS = 15_000;

  private static NetnsBridge bridge;
  private static final List<Process> processes = new ArrayList<>();

  @BeforeAll
  static void createNamespaces() {
    String unavailable = NetnsBridge.unavailableReason();
    if (unavailable != null) {
      System.err.println("NetnsIT SKIPPED: " + unavailable);
    }
    Assumptions.assumeTrue(unavailable == null, () -> "NetnsIT needs root and iproute2 network namespaces: " + unavailable);
    bridge = NetnsBridge.create(VALIDATORS);
    for (int i = 0; i < VALIDATORS; i++) {
      processes.add(null);
    }
  }

  @AfterAll
  static void deleteNamespaces() {
    for (Process p : processes) {
      if (p != null) {
        p.destroyForcibly();
      }
    }
    for (Process p : processes) {
      if (p != null) {
        try {
          p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    if (bridge != null) {
      bridge.close();
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void validatorsOnFourNamespacesAgreeAndAWipedNodeResyncs() throws Exception {
    Path dir = Path.of("target", "netns-it").toAbsolutePath();
    deleteRecursively(dir);
    ConsensusParameters d = ConsensusParameters.DEFAULTS;
    NetworkSpec spec = new NetworkSpec(VALIDATORS, 0, "cairn-netns-it", (System.currentTimeMillis() / 1000) * 1000,
        new ConsensusParameters(500, d.roundTimeoutMillis(), d.roundTimeoutMillisMax(), d.blockTxsMax(), d.blockBytesMax(), true),
        P2P_PORT, RPC_PORT, NetworkSpec.DEFAULT_DEV_BALANCE, new Placement(hosts(), true));
    GeneratedNetwork network = new NetworkGenerator(KeyPair::generate).generate(spec, dir);
    assertThat(NodeJvm.nodeJar()).as("the node's shaded jar (-D%s, set by this module's pom)", NodeJvm.NODE_JAR_PROPERTY).isPresent();
    List<RpcClient> rpc = new ArrayList<>();
    for (int i = 0; i < VALIDATORS; i++) {
      // Reached from the host through its end of the bridge, as a client on another machine would.
      rpc.add(new RpcClient(URI.create("http://" + bridge.address(i) + ":" + RPC_PORT), Duration.ofSeconds(5)));
    }
    List<Integer> all = List.of(0, 1, 2, 3);
    for (int i : all) {
      start(dir, i);
    }
    awaitTrue("every node reaches height 3", STEP_TIMEOUT_MILLIS, () -> allAtLeast(rpc, all, 3));
    awaitTrue("every node sees the other three", STEP_TIMEOUT_MILLIS, () -> {
      for (RpcClient client : rpc) {
        if (client.nodeInfo().peerCount() < VALIDATORS - 1) {
          return false;
        }
      }
      return true;
    });

    String chainId = network.genesis().chainId();
    KeyPair dev = KeyFiles.readNodeKey(network.devAccountKeyFile());
    KeyPair recipient = KeyPair.generate();
    List<String> txIds = new ArrayList<>();
    long nonce = 0;
    for (; nonce < TXS; nonce++) {
      txIds.add(send(rpc.get((int) (nonce % VALIDATORS)), dev, recipient, nonce, chainId));
    }
    awaitTrue("every node has every transfer final", STEP_TIMEOUT_MILLIS, () -> {
      for (RpcClient client : rpc) {
        if (!allFinal(client, txIds)) {
          return false;
        }
      }
      return true;
    });
    long before = height(rpc.get(0));
    awaitTrue("every node finalizes 3 more blocks", STEP_TIMEOUT_MILLIS, () -> allAtLeast(rpc, all, before + 3));
    assertSameChain(rpc, all);

    // A validator loses its data directory (key and config kept) and re-syncs from genesis.
    int wiped = 3;
    stop(wiped);
    deleteRecursively(dir.resolve("node-" + wiped).resolve("data"));
    start(dir, wiped);
    long target = height(rpc.get(0));
    awaitTrue("node-" + wiped + " re-syncs from genesis to height " + target, STEP_TIMEOUT_MILLIS, () -> allAtLeast(rpc, List.of(wiped), target));
    assertSameChain(rpc, all);
    assertThat(balance(rpc.get(wiped), recipient.address())).isEqualTo(TXS);

    // With one more validator stopped, 3 of 4 remain: the chain goes on only if the re-synced one signs.
    stop(1);
    List<Integer> quorum = List.of(0, 2, 3);
    long afterStop = height(rpc.get(0));
    String last = send(rpc.get(wiped), dev, recipient, nonce, chainId);
    awaitTrue("a transfer sent to the re-synced validator is final", STEP_TIMEOUT_MILLIS, () -> allFinal(rpc.get(0), List.of(last)));
    awaitTrue("3 of 4 validators (one re-synced) finalize 3 more blocks", STEP_TIMEOUT_MILLIS, () -> allAtLeast(rpc, quorum, afterStop + 3));
    assertSameChain(rpc, quorum);
  }

  private static List<String> hosts() {
    List<String> hosts = new ArrayList<>();
    for (int i = 0; i < VALIDATORS; i++) {
      hosts.add(bridge.address(i));
    }
    return hosts;
  }

  private static void start(Path dir, int index) {
    List<String> command = new ArrayList<>(bridge.exec(index));
    command.addAll(NodeJvm.command(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1")));
    command.addAll(List.of("run", "--config", dir.resolve("node-" + index).resolve("config.toml").toString()));
    Path log = dir.resolve("node-" + index).resolve("node.log");
    try {
      // `ip netns exec` execs the command, so this process is the node's JVM itself.
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().put(TestnetProcesses.HEAP_CHECK_VARIABLE, "warn"); // 256 MiB heaps, on purpose
      processes.set(index, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node-" + index, e);
    }
  }

  /** SIGTERM, then SIGKILL after the grace period. */
  private static void stop(int index) throws InterruptedException {
    Process p = processes.get(index);
    p.destroy();
    if (!p.waitFor(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static void assertSameChain(List<RpcClient> rpc, List<Integer> which) {
    long common = Long.MAX_VALUE;
    for (int i : which) {
      common = Math.min(common, height(rpc.get(i)));
    }
    assertThat(common).isPositive();
    for (long h = 1; h <= common; h++) {
      Set<String> hashes = new HashSet<>();
      for (int i : which) {
        hashes.add(hashAt(rpc.get(i), h));
      }
      assertThat(hashes).as("block hashes at height %d on nodes %s", h, which).hasSize(1);
    }
  }

}
