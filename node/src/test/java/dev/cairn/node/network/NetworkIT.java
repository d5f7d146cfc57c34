package dev.cairn.node.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.network.GeneratedNetwork;
import dev.cairn.genesis.network.NetworkGenerator;
import dev.cairn.genesis.network.NetworkSpec;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.node.cli.CairnCli;
import dev.cairn.node.cli.TestnetProcesses;
import dev.cairn.p2p.P2pConfig;
import dev.cairn.p2p.host.ConnectionGater;
import dev.cairn.p2p.host.Host;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.identity.PeerId;
import dev.cairn.wallet.JsonRpcClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Four validator processes and one observer on loopback, each a real {@code cairn run} JVM from the shaded
 * jar: transactions sent to different nodes (the observer included) are finalized everywhere; a validator
 * killed with SIGKILL during load does not stop finality, and after a restart it catches up by sync; every
 * node holds the same hash at every height; the validators vote the observer in, and with one more
 * validator killed the chain goes on only because the new one takes part; an unlisted peer is refused. Logs stay in
 * {@code node/target/network-it/node-<i>/node.log}.
 */
class NetworkIT {
  private static final int VALIDATORS = 4;
  private static final int OBSERVERS = 1;
  private static final int TXS_PER_PHASE = 20;
  private static final long STEP_TIMEOUT_MILLIS = 90_000;

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void validatorsAndObserverAgreeThroughAKillAndRestart() throws Exception {
    Path dir = Path.of("target", "network-it").toAbsolutePath();
    deleteRecursively(dir);
    int basePort = freePortRange(VALIDATORS + OBSERVERS);
    int rpcBasePort = freePortRange(VALIDATORS + OBSERVERS);
    ConsensusParameters d = ConsensusParameters.DEFAULTS;
    NetworkSpec spec = new NetworkSpec(VALIDATORS, OBSERVERS, "cairn-it", (System.currentTimeMillis() / 1000) * 1000,
        new ConsensusParameters(500, d.roundTimeoutMillis(), d.roundTimeoutMillisMax(), d.blockTxsMax(), d.blockBytesMax(), true),
        basePort, rpcBasePort, NetworkSpec.DEFAULT_DEV_BALANCE);
    GeneratedNetwork network = new NetworkGenerator(KeyPair::generate).generate(spec, dir);
    Path jar = Path.of("target", "cairn-node.jar").toAbsolutePath();
    assertThat(jar).as("the shaded jar from the package phase").exists();
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
        "-cp", jar.toString(), CairnCli.class.getName());
    int nodes = VALIDATORS + OBSERVERS;
    List<JsonRpcClient> rpc = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      rpc.add(new JsonRpcClient(URI.create("http://127.0.0.1:" + (rpcBasePort + i)), Duration.ofSeconds(5)));
    }
    KeyPair dev = KeyFiles.readNodeKey(network.devAccountKeyFile());
    KeyPair recipient = KeyPair.generate();
    int victim = 2;

    try (TestnetProcesses processes = new TestnetProcesses(dir, command)) {
      for (int i = 0; i < nodes; i++) {
        processes.start(i);
      }
      awaitTrue("every node reaches height 3", () -> allAtLeast(rpc, List.of(0, 1, 2, 3, 4), 3));
      assertThat(rpc.get(4).call("cairn_nodeInfo").get("validator").asBoolean()).as("node-4 starts as observer").isFalse();
      assertThat(rpc.get(0).call("cairn_nodeInfo").get("validator").asBoolean()).isTrue();
      awaitTrue("every node sees the other four", () -> {
        for (JsonRpcClient client : rpc) {
          if (client.call("cairn_nodeInfo").get("peerCount").asInt() < nodes - 1) {
            return false;
          }
        }
        return true;
      });

      // Phase 1: all up; transactions to every node in turn (the observer too).
      List<String> txIds = new ArrayList<>();
      long nonce = 0;
      for (int k = 0; k < TXS_PER_PHASE; k++, nonce++) {
        txIds.add(send(rpc.get(k % nodes), dev, recipient, nonce, network.genesis().chainId()));
      }
      awaitTrue("phase-1 transactions final on node-0", () -> allFinal(rpc.get(0), txIds));
      long heightBeforeKill = height(rpc.get(0));
      JsonNode blockBeforeKill = rpc.get(0).call("cairn_getBlockByNumber", heightBeforeKill);

      // Phase 2: kill -9 one validator while transactions flow (to the survivors: a transaction admitted only
      // by the victim's mempool may die with it); the other three keep a quorum (3 of 4) and keep finalizing.
      List<Integer> survivors = List.of(0, 1, 3, 4);
      for (int k = 0; k < TXS_PER_PHASE; k++, nonce++) {
        if (k == TXS_PER_PHASE / 4) {
          processes.kill(victim);
        }
        txIds.add(send(rpc.get(survivors.get(k % survivors.size())), dev, recipient, nonce, network.genesis().chainId()));
      }
      awaitTrue("phase-2 transactions final without node-" + victim, () -> allFinal(rpc.get(1), txIds));
      awaitTrue("survivors finalize 5 blocks past the kill", () -> allAtLeast(rpc, survivors, heightBeforeKill + 5));

      // Phase 3: the killed validator restarts from its disk and catches up.
      processes.start(victim);
      long target = height(rpc.get(0));
      awaitTrue("node-" + victim + " catches up to height " + target, () -> allAtLeast(rpc, List.of(victim), target));
      awaitTrue("every node has every transaction final", () -> {
        for (JsonRpcClient client : rpc) {
          if (!allFinal(client, txIds)) {
            return false;
          }
        }
        return true;
      });

      // Same chain everywhere, and nothing finalized before the kill was lost or changed.
      long common = Long.MAX_VALUE;
      for (JsonRpcClient client : rpc) {
        common = Math.min(common, height(client));
      }
      for (long h = 1; h <= common; h++) {
        Set<String> hashes = new HashSet<>();
        for (JsonRpcClient client : rpc) {
          hashes.add(client.call("cairn_getBlockByNumber", h).get("hash").asText());
        }
        assertThat(hashes).as("block hashes at height %d", h).hasSize(1);
      }
      assertThat(rpc.get(victim).call("cairn_getBlockByNumber", heightBeforeKill).get("hash").asText())
          .isEqualTo(blockBeforeKill.get("hash").asText());
      for (JsonRpcClient client : rpc) {
        JsonNode account = client.call("cairn_getAccount", recipient.address().toText());
        assertThat(account.get("balance").asText()).isEqualTo(Long.toString(2L * TXS_PER_PHASE));
      }

      // Governance: the validators vote the observer in (3 of 4 votes pass 2/3). With 5 validators the quorum
      // is 4, so after killing one of the original four the chain can only go on if the new one takes part.
      String chainId = network.genesis().chainId();
      List<KeyPair> validatorKeys = new ArrayList<>();
      for (int i = 0; i < VALIDATORS; i++) {
        validatorKeys.add(KeyFiles.readNodeKey(dir.resolve("node-" + i).resolve("node.key")));
      }
      KeyPair observerKey = KeyFiles.readNodeKey(dir.resolve("node-4").resolve("node.key"));
      // The generated genesis makes validators members, which every sender must be.
      List<String> governance = new ArrayList<>();
      for (int i : List.of(0, 1, 3)) {
        governance.add(submit(rpc.get(i), Transaction.sign(chainId, validatorKeys.get(i), 0,
            new Payload.ValidatorVote(observerKey.publicKey(), Payload.VoteAction.ADD))));
      }
      awaitTrue("the votes are final", () -> allFinal(rpc.get(0), governance));
      awaitTrue("five validators", () -> rpc.get(0).call("cairn_validators").get("validators").size() == 5);
      awaitTrue("node-4 takes part as a validator", () -> logContains(dir.resolve("node-4").resolve("node.log"),
          "event=role_changed"));
      awaitTrue("node-4 reports itself a validator", () -> rpc.get(4).call("cairn_nodeInfo").get("validator").asBoolean());
      processes.kill(1);
      long afterSecondKill = height(rpc.get(0));
      String last = send(rpc.get(4), dev, recipient, nonce++, chainId);
      awaitTrue("a transaction sent to the new validator is final", () -> allFinal(rpc.get(0), List.of(last)));
      awaitTrue("4 of 5 validators (one voted in) finalize 5 more blocks",
          () -> allAtLeast(rpc, List.of(0, 2, 3, 4), afterSecondKill + 5));

      // A peer outside the allowlist is dropped right after the handshake.
      PeerId node0 = PeerAllowlist.peerId(KeyFiles.readNodeKey(dir.resolve("node-0").resolve("node.key")).publicKey());
      try (Host stranger = new Host(HostKey.generate(new SecureRandom()), P2pConfig.defaults(), ConnectionGater.open())) {
        stranger.start(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
        Multiaddr target0 = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + basePort + "/p2p/" + node0.toBase58());
        try {
          stranger.dial(target0).get(10, TimeUnit.SECONDS);
        } catch (Exception expected) {
          // refused during the upgrade: also fine
        }
        awaitTrue("node-0 logs the refusal", () -> logContains(dir.resolve("node-0").resolve("node.log"),
            "refused by gater peer=" + stranger.peerId()));
        awaitTrue("the stranger is not connected", () -> !stranger.isConnected(node0));
      }
    }
  }

  private static String send(JsonRpcClient client, KeyPair from, KeyPair to, long nonce, String chainId) {
    return submit(client, Transaction.sign(chainId, from, nonce, new Payload.Transfer(to.address(), 1)));
  }

  private static String submit(JsonRpcClient client, Transaction tx) {
    return client.call("cairn_sendTransaction", "0x" + TransactionCodec.encode(tx).toHex()).asText();
  }

  private static boolean allFinal(JsonRpcClient client, List<String> txIds) {
    for (String id : txIds) {
      JsonNode receipt = client.call("cairn_getReceipt", id);
      if (receipt == null || receipt.isNull()) {
        return false;
      }
      assertThat(receipt.get("status").asText()).as("receipt %s", receipt).isEqualTo("success");
    }
    return true;
  }

  private static long height(JsonRpcClient client) {
    return client.call("cairn_blockNumber").asLong();
  }

  private static boolean allAtLeast(List<JsonRpcClient> rpc, List<Integer> which, long height) {
    for (int i : which) {
      if (height(rpc.get(i)) < height) {
        return false;
      }
    }
    return true;
  }

  /** Polls until true; RPC errors (a node still starting) count as "not yet". */
  private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + STEP_TIMEOUT_MILLIS;
    RuntimeException last = null;
    while (System.currentTimeMillis() < deadline) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (JsonRpcClient.RpcException | java.io.UncheckedIOException e) {
        last = e;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("timed out after " + STEP_TIMEOUT_MILLIS + " ms waiting until " + what
        + (last == null ? "" : "; last error: " + last));
  }

  private static boolean logContains(Path log, String text) {
    try {
      return Files.readString(log).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  /** A run of free TCP ports on loopback (checked now; the nodes bind them a moment later). */
  private static int freePortRange(int count) throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 60_000);
      boolean free = true;
      for (int p = base; p < base + count && free; p++) {
        try (ServerSocket socket = new ServerSocket(p)) {
          socket.setReuseAddress(true);
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IOException("no run of " + count + " free ports found");
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
