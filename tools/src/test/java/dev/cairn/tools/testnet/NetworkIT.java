package dev.cairn.tools.testnet;

import static dev.cairn.tools.testnet.ChainProbe.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.network.GeneratedNetwork;
import dev.cairn.genesis.network.NetworkGenerator;
import dev.cairn.genesis.network.NetworkSpec;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.p2p.P2pConfig;
import dev.cairn.p2p.host.ConnectionGater;
import dev.cairn.p2p.host.Host;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.identity.PeerBinding;
import dev.cairn.p2p.identity.PeerId;
import dev.cairn.rpc.client.RpcClient;
import dev.cairn.rpc.client.RpcError;
import dev.cairn.tools.NodeJvm;
import dev.cairn.testsupport.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Four validator processes and one observer on loopback, each a real {@code cairn run} JVM from the shaded
 * jar: transactions sent to different nodes (the observer included) are finalized everywhere; a validator
 * killed with SIGKILL during load does not stop finality, and after a restart it catches up by sync; every
 * node holds the same hash at every height; the validators vote the observer in, and with one more
 * validator killed the chain goes on only because the new one takes part (and a validator whose data directory
 * was deleted, which re-synced from genesis); an unlisted peer is refused. Logs stay in
 * {@code tools/target/network-it/node-<i>/node.log}.
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
    FreePorts.NetworkPorts ports = FreePorts.network(VALIDATORS + OBSERVERS, NetworkSpec.METRICS_PORT_OFFSET);
    int basePort = ports.p2p();
    int rpcBasePort = ports.rpc();
    ConsensusParameters d = ConsensusParameters.DEFAULTS;
    NetworkSpec spec = new NetworkSpec(VALIDATORS, OBSERVERS, "cairn-it", (System.currentTimeMillis() / 1000) * 1000,
        new ConsensusParameters(500, d.roundTimeoutMillis(), d.roundTimeoutMillisMax(), d.blockTxsMax(), d.blockBytesMax(), true),
        basePort, rpcBasePort, NetworkSpec.DEFAULT_DEV_BALANCE);
    GeneratedNetwork network = new NetworkGenerator(KeyPair::generate).generate(spec, dir);
    int metricsBasePort = FreePorts.range(VALIDATORS + OBSERVERS);
    for (int i = 0; i < VALIDATORS + OBSERVERS; i++) {
      // The generated config has a [metrics] section (off, RPC port + 1000): switch it on at a free port.
      java.nio.file.Path config = TestnetProcesses.configFile(dir, i);
      String text = Files.readString(config);
      String enabled = text.replaceFirst("(?m)^\\[metrics\\]\\n(#[^\\n]*\\n)?enabled = false\\nhost = \"([^\"]*)\"\\nport = \\d+",
          "[metrics]\nenabled = true\nhost = \"$2\"\nport = " + (metricsBasePort + i));
      assertThat(enabled).as("%s with metrics on", config).isNotEqualTo(text);
      Files.writeString(config, enabled);
    }
    assertThat(NodeJvm.nodeJar()).as("the node's shaded jar (-D%s, set by this module's pom)", NodeJvm.NODE_JAR_PROPERTY).isPresent();
    List<String> command = NodeJvm.command(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
    int nodes = VALIDATORS + OBSERVERS;
    List<RpcClient> rpc = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      rpc.add(new RpcClient(URI.create("http://127.0.0.1:" + (rpcBasePort + i)), Duration.ofSeconds(5)));
    }
    KeyPair dev = KeyFiles.readNodeKey(network.devAccountKeyFile());
    KeyPair recipient = KeyPair.generate();
    int victim = 2;

    try (TestnetProcesses processes = new TestnetProcesses(dir, command)) {
      for (int i = 0; i < nodes; i++) {
        processes.start(i);
      }
      awaitTrue("every node reaches height 3", STEP_TIMEOUT_MILLIS, () -> allAtLeast(rpc, List.of(0, 1, 2, 3, 4), 3));
      assertThat(rpc.get(4).nodeInfo().validator()).as("node-4 starts as observer").isFalse();
      assertThat(rpc.get(0).nodeInfo().validator()).isTrue();
      awaitTrue("every node sees the other four", STEP_TIMEOUT_MILLIS, () -> {
        for (RpcClient client : rpc) {
          if (client.nodeInfo().peerCount() < nodes - 1) {
            return false;
          }
        }
        return true;
      });

      // The operators' view of the whole network: every node ready, each scrape with at least 40 cairn_
      // families and every series the Grafana dashboard queries.
      java.util.Set<String> dashboard = MetricsScrape.dashboardSeries();
      for (int i = 0; i < nodes; i++) {
        int node = i;
        awaitTrue("node-" + i + " is ready", STEP_TIMEOUT_MILLIS, () -> MetricsScrape.readiness(rpcBasePort + node) == 200);
        MetricsScrape scrape = MetricsScrape.of(metricsBasePort + i);
        assertThat(scrape.cairnFamilies()).as("cairn_ families of node-%d", i).isGreaterThanOrEqualTo(40);
        assertThat(scrape.series()).as("node-%d serves every series the dashboard queries", i).containsAll(dashboard);
      }

      // Phase 1: all up; transactions to every node in turn (the observer too).
      List<String> txIds = new ArrayList<>();
      long nonce = 0;
      for (int k = 0; k < TXS_PER_PHASE; k++, nonce++) {
        txIds.add(send(rpc.get(k % nodes), dev, recipient, nonce, network.genesis().chainId()));
      }
      awaitTrue("phase-1 transactions final on node-0", STEP_TIMEOUT_MILLIS, () -> allFinal(rpc.get(0), txIds));
      long heightBeforeKill = height(rpc.get(0));
      String hashBeforeKill = hashAt(rpc.get(0), heightBeforeKill);

      // Phase 2: kill -9 one validator while transactions flow (to the survivors: a transaction admitted only
      // by the victim's mempool may die with it); the other three keep a quorum (3 of 4) and keep finalizing.
      List<Integer> survivors = List.of(0, 1, 3, 4);
      for (int k = 0; k < TXS_PER_PHASE; k++, nonce++) {
        if (k == TXS_PER_PHASE / 4) {
          processes.kill(victim);
        }
        txIds.add(send(rpc.get(survivors.get(k % survivors.size())), dev, recipient, nonce, network.genesis().chainId()));
      }
      awaitTrue("phase-2 transactions final without node-" + victim, STEP_TIMEOUT_MILLIS, () -> allFinal(rpc.get(1), txIds));
      awaitTrue("survivors finalize 5 blocks past the kill", STEP_TIMEOUT_MILLIS, () -> allAtLeast(rpc, survivors, heightBeforeKill + 5));

      // Phase 3: the killed validator restarts from its disk and catches up.
      processes.start(victim);
      long target = height(rpc.get(0));
      awaitTrue("node-" + victim + " catches up to height " + target, STEP_TIMEOUT_MILLIS, () -> allAtLeast(rpc, List.of(victim), target));
      awaitTrue("every node has every transaction final", STEP_TIMEOUT_MILLIS, () -> {
        for (RpcClient client : rpc) {
          if (!allFinal(client, txIds)) {
            return false;
          }
        }
        return true;
      });

      // Same chain everywhere, and nothing finalized before the kill was lost or changed.
      long common = Long.MAX_VALUE;
      for (RpcClient client : rpc) {
        common = Math.min(common, height(client));
      }
      for (long h = 1; h <= common; h++) {
        Set<String> hashes = new HashSet<>();
        for (RpcClient client : rpc) {
          hashes.add(hashAt(client, h));
        }
        assertThat(hashes).as("block hashes at height %d", h).hasSize(1);
      }
      assertThat(hashAt(rpc.get(victim), heightBeforeKill)).isEqualTo(hashBeforeKill);
      for (RpcClient client : rpc) {
        assertThat(balance(client, recipient.address())).isEqualTo(2L * TXS_PER_PHASE);
      }

      // A validator that lost its data directory (key and config kept) re-syncs from genesis. It stays needed
      // below: with five validators and node-1 killed, node-3 is one of the four that make the quorum.
      int wiped = 3;
      processes.kill(wiped);
      deleteRecursively(dir.resolve("node-" + wiped).resolve("data"));
      processes.start(wiped);
      long resyncTarget = height(rpc.get(0));
      awaitTrue("node-" + wiped + " re-syncs from genesis to height " + resyncTarget, STEP_TIMEOUT_MILLIS,
          () -> allAtLeast(rpc, List.of(wiped), resyncTarget));
      for (long h = 1; h <= resyncTarget; h++) {
        assertThat(hashAt(rpc.get(wiped), h)).as("re-synced hash at %d", h).isEqualTo(hashAt(rpc.get(0), h));
      }
      assertThat(balance(rpc.get(wiped), recipient.address())).isEqualTo(2L * TXS_PER_PHASE);

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
      awaitTrue("the votes are final", STEP_TIMEOUT_MILLIS, () -> allFinal(rpc.get(0), governance));
      awaitTrue("five validators", STEP_TIMEOUT_MILLIS, () -> rpc.get(0).call("cairn_validators").get("validators").size() == 5);
      awaitTrue("node-4 takes part as a validator", STEP_TIMEOUT_MILLIS, () -> logContains(dir.resolve("node-4").resolve("node.log"),
          "event=role_changed"));
      awaitTrue("node-4 reports itself a validator", STEP_TIMEOUT_MILLIS, () -> rpc.get(4).nodeInfo().validator());
      processes.kill(1);
      long afterSecondKill = height(rpc.get(0));
      String last = send(rpc.get(4), dev, recipient, nonce++, chainId);
      awaitTrue("a transaction sent to the new validator is final", STEP_TIMEOUT_MILLIS, () -> allFinal(rpc.get(0), List.of(last)));
      awaitTrue("4 of 5 validators (one voted in) finalize 5 more blocks", STEP_TIMEOUT_MILLIS,
          () -> allAtLeast(rpc, List.of(0, 2, 3, 4), afterSecondKill + 5));

      // Account permissioning on the network: a well-signed transfer from an account without the member
      // role is refused by the node it is sent to (and so never gossiped), on a validator and an observer.
      KeyPair outsider = KeyPair.fromSeedText("network-it-non-member");
      for (int i : List.of(0, 4)) {
        RpcClient client = rpc.get(i);
        assertThatThrownBy(() -> send(client, outsider, recipient, 0, chainId))
            .isInstanceOfSatisfying(RpcError.class, e -> assertThat(e.code()).isEqualTo(-32003));
      }

      // A peer outside the allowlist is dropped right after the handshake. Node 0 is named by its p2p key's ID
      // (the generator wrote data/p2p.key), the ID node 0's log and config name it by.
      PeerId node0 = PeerId.fromBase58(network.nodes().get(0).peerId());
      Multiaddr target0 = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + basePort + "/p2p/" + node0.toBase58());
      try (Host stranger = new Host(HostKey.generate(new SecureRandom()), P2pConfig.defaults(), ConnectionGater.open())) {
        stranger.start(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
        try {
          stranger.dial(target0).get(10, TimeUnit.SECONDS);
        } catch (Exception expected) {
          // refused during the upgrade: also fine
        }
        // Refusals are summarised once per interval (10 s), naming the last refused peer.
        awaitTrue("node-0 logs the refusal", STEP_TIMEOUT_MILLIS, () -> logContains(dir.resolve("node-0").resolve("node.log"),
            "not_allowed_last_peer=" + stranger.peerId()));
        awaitTrue("the stranger is not connected", STEP_TIMEOUT_MILLIS, () -> !stranger.isConnected(node0));
      }
      // A forged binding: validator 1's genuine signature, but for another chain. Refused at the gater under its
      // own reason, although validator 1 is in the set.
      HostKey forgerKey = HostKey.generate(new SecureRandom());
      try (Host forger = new Host(forgerKey, P2pConfig.defaults(), ConnectionGater.open(), java.util.Optional.of(
          PeerBinding.sign(validatorKeys.get(1), chainId + "-other", forgerKey.peerId())))) {
        forger.start(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
        try {
          forger.dial(target0).get(10, TimeUnit.SECONDS);
        } catch (Exception expected) {
          // refused during the upgrade: also fine
        }
        awaitTrue("node-0 logs the forged binding", STEP_TIMEOUT_MILLIS, () -> logContains(
            dir.resolve("node-0").resolve("node.log"), "not_allowed_last_peer=" + forgerKey.peerId()
                + " not_allowed_last_reason=binding_other_chain"));
        awaitTrue("the forger is not connected", STEP_TIMEOUT_MILLIS, () -> !forger.isConnected(node0));
      }
    }
  }

  private static boolean logContains(Path log, String text) {
    try {
      return Files.readString(log).contains(text);
    } catch (IOException e) {
      return false;
    }
  }


}
