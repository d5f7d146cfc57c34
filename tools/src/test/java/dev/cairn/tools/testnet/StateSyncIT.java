package dev.cairn.tools.testnet;

import static dev.cairn.tools.testnet.ChainProbe.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.network.NetworkSpec;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.node.cli.CairnCli;
import dev.cairn.rpc.client.RpcClient;
import dev.cairn.tools.NodeJvm;
import dev.cairn.testsupport.FreePorts;
import dev.cairn.testsupport.CliRun;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A 4-validator process network with thousands of funded accounts serves snapshots every 10 heights; a fresh
 * observer started with {@code sync.mode = "state"} and genesis as its only trust anchor (after the validators
 * voted a fifth validator in, so it follows that change) downloads the state at the latest snapshot from them,
 * installs it as its base, block-syncs the rest and follows new blocks with the validators' hashes and state
 * roots. Killed and checked with {@code cairn verify-chain}, its store (base above genesis) passes. A second
 * observer replays from genesis at the same time, for the time to ready. Then the first is SIGKILLed during a
 * fresh state sync and restarted: it ends consistent and verifies again.
 */
class StateSyncIT {
  private static final int VALIDATORS = 4;
  private static final int OBSERVER = VALIDATORS;
  /** A second observer that replays every block from genesis, started with the first, for the time to ready. */
  private static final int REPLAYER = VALIDATORS + 1;
  private static final int ACCOUNTS = 3_000;
  private static final long INTERVAL = 10;
  private static final long STEP_TIMEOUT_MILLIS = 180_000;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void aFreshObserverJoinsByStateSyncAndFollowsTheChain() throws Exception {
    Path dir = Path.of("target", "state-sync-it").toAbsolutePath();
    deleteRecursively(dir);
    FreePorts.NetworkPorts ports = FreePorts.network(VALIDATORS + 2, NetworkSpec.METRICS_PORT_OFFSET);
    int basePort = ports.p2p();
    int rpcBasePort = ports.rpc();
    ConsensusParameters d = ConsensusParameters.DEFAULTS;
    NetworkSpec spec = new NetworkSpec(VALIDATORS, 2, "cairn-state-sync-it", (System.currentTimeMillis() / 1000) * 1000,
        new ConsensusParameters(300, d.roundTimeoutMillis(), d.roundTimeoutMillisMax(), d.blockTxsMax(), d.blockBytesMax(), true),
        basePort, rpcBasePort, NetworkSpec.DEFAULT_DEV_BALANCE);
    List<KeyPair> accounts = new ArrayList<>();
    for (int i = 0; i < ACCOUNTS; i++) {
      accounts.add(KeyPair.generate());
    }
    FundedNetwork.write(spec, dir, accounts, 1_000_000);
    for (int i = 0; i < VALIDATORS; i++) {
      append(dir, i, "\n[sync]\nsnapshot-interval = " + INTERVAL + "\n");
    }
    append(dir, REPLAYER, "\n[sync]\nsnapshot-interval = " + INTERVAL + "\n");
    append(dir, OBSERVER, "\n[sync]\nmode = \"state\"\nsnapshot-interval = " + INTERVAL
        + "\nchunk-prefix-bits = 5\nchunk-requests-in-flight-max = 6\n");
    assertThat(NodeJvm.nodeJar()).as("the node's shaded jar (-D%s, set by this module's pom)", NodeJvm.NODE_JAR_PROPERTY).isPresent();
    List<String> command = NodeJvm.command(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
    List<RpcClient> rpc = new ArrayList<>();
    for (int i = 0; i <= REPLAYER; i++) {
      rpc.add(new RpcClient(URI.create("http://127.0.0.1:" + (rpcBasePort + i)), Duration.ofSeconds(5)));
    }
    try (TestnetProcesses processes = new TestnetProcesses(dir, command)) {
      for (int i = 0; i < VALIDATORS; i++) {
        processes.start(i);
      }
      awaitTrue("the validators pass height 25", STEP_TIMEOUT_MILLIS, () -> allAtLeast(rpc, List.of(0, 1, 2, 3), 25));
      // The validators vote the replayer's key in (3 of 4 votes pass 2/3), so the snapshot the observer takes
      // is certified by a set that genesis does not name: it must follow the change from genesis to trust it.
      // With 5 validators the quorum is 4, which the original four still make while the replayer is down.
      String chainId = "cairn-state-sync-it";
      KeyPair candidate = KeyFiles.readNodeKey(dir.resolve("node-" + REPLAYER).resolve("node.key"));
      List<String> votes = new ArrayList<>();
      for (int i : List.of(0, 1, 3)) {
        KeyPair validatorKey = KeyFiles.readNodeKey(dir.resolve("node-" + i).resolve("node.key"));
        votes.add(submit(rpc.get(i), Transaction.sign(chainId, validatorKey, 0,
            new Payload.ValidatorVote(candidate.publicKey(), Payload.VoteAction.ADD))));
      }
      awaitTrue("the votes are final", STEP_TIMEOUT_MILLIS, () -> allFinal(rpc.get(0), votes));
      awaitTrue("five validators", STEP_TIMEOUT_MILLIS, () -> rpc.get(0).call("cairn_validators").get("validators").size() == 5);
      long changedBy = height(rpc.get(0));
      awaitTrue("the validators pass the next snapshot height after the change", STEP_TIMEOUT_MILLIS,
          () -> allAtLeast(rpc, List.of(0, 1, 2, 3), (changedBy / INTERVAL + 2) * INTERVAL));
      long started = System.currentTimeMillis();
      processes.start(OBSERVER);
      processes.start(REPLAYER);
      long joinedAt = height(rpc.get(0));
      awaitTrue("the observer reaches the validators' height " + joinedAt, STEP_TIMEOUT_MILLIS,
          () -> allAtLeast(rpc, List.of(OBSERVER), joinedAt));
      long readyMillis = System.currentTimeMillis() - started;
      awaitTrue("the replaying observer reaches " + joinedAt, STEP_TIMEOUT_MILLIS,
          () -> allAtLeast(rpc, List.of(REPLAYER), joinedAt));
      long replayMillis = System.currentTimeMillis() - started;
      String log = Files.readString(dir.resolve("node-" + OBSERVER).resolve("node.log"));
      assertThat(log).contains("event=state_sync_progress").contains("event=snapshot_installed")
          .contains("event=state_sync_set_change_followed").contains("set_changes_followed=1");
      long base = Long.parseLong(log.replaceAll("(?s).*event=snapshot_installed height=(\\d+).*", "$1"));
      assertThat(base % INTERVAL).isZero();
      assertThat(base).isGreaterThanOrEqualTo(20);

      long later = height(rpc.get(0)) + 5;
      awaitTrue("the observer follows new blocks to " + later, STEP_TIMEOUT_MILLIS, () -> allAtLeast(rpc, List.of(OBSERVER), later));
      // The base itself has no body (state sync fetches its header and certificate only): compare from H + 1.
      for (long h = base + 1; h <= later; h++) {
        assertThat(hashAt(rpc.get(OBSERVER), h)).as("hash at %d", h).isEqualTo(hashAt(rpc.get(0), h));
        assertThat(stateRootAt(rpc.get(OBSERVER), h)).as("state root at %d", h).isEqualTo(stateRootAt(rpc.get(0), h));
      }
      System.out.printf("StateSyncIT accounts=%d joined_at=%d base=%d state_sync_ready_millis=%d replay_ready_millis=%d "
          + "followed_to=%d%n", ACCOUNTS, joinedAt, base, readyMillis, replayMillis, later);

      processes.kill(OBSERVER);
      Path data = dir.resolve("node-" + OBSERVER).resolve("data");
      CliRun verify = cairn("verify-chain", "--data-dir", data.toString());
      assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();

      // SIGKILL during a second state sync from scratch, then a restart: it ends consistent whichever side of
      // the install's one batch the kill fell on.
      deleteRecursively(data.resolve("chain"));
      Path nodeLog = dir.resolve("node-" + OBSERVER).resolve("node.log");
      long startsBefore = count(Files.readString(nodeLog), "event=state_sync_started");
      processes.start(OBSERVER);
      awaitTrue("the second state sync starts", STEP_TIMEOUT_MILLIS,
          () -> count(readQuietly(nodeLog), "event=state_sync_started") > startsBefore);
      processes.kill(OBSERVER);
      long skipsBefore = count(readQuietly(nodeLog), "event=state_sync_skipped");
      processes.start(OBSERVER);
      long target = height(rpc.get(0)) + 3;
      awaitTrue("after the kill and a restart the observer reaches " + target, STEP_TIMEOUT_MILLIS,
          () -> allAtLeast(rpc, List.of(OBSERVER), target));
      // The base is the height of the last state sync started: the killed one if its install's batch landed
      // (the restart then skips state sync; the kill may fall between that batch and its log line, so
      // snapshot_installed is no witness), or the restart's own.
      String restartedLog = readQuietly(nodeLog);
      boolean installedBeforeKill = count(restartedLog, "event=state_sync_skipped") > skipsBefore;
      long newBase = Long.parseLong(restartedLog.replaceAll("(?s).*event=state_sync_started height=(\\d+).*", "$1"));
      // The restart may have synced a later snapshot than the target: follow 3 blocks past its base too.
      long upTo = Math.max(target, newBase + 3);
      awaitTrue("the restarted observer follows to " + upTo, STEP_TIMEOUT_MILLIS,
          () -> allAtLeast(rpc, List.of(OBSERVER), upTo));
      for (long h = newBase + 1; h <= upTo; h++) {
        assertThat(hashAt(rpc.get(OBSERVER), h)).as("hash at %d after the restart", h).isEqualTo(hashAt(rpc.get(0), h));
      }
      processes.kill(OBSERVER);
      CliRun verifyAfterKill = cairn("verify-chain", "--data-dir", data.toString());
      assertThat(verifyAfterKill.exitCode()).as(verifyAfterKill.out() + verifyAfterKill.err()).isZero();
      System.out.printf("StateSyncIT kill_during_state_sync installed_before_kill=%s base_after_restart=%d verified_to=%d%n",
          installedBeforeKill, newBase, upTo);
    }
  }

  private static long count(String text, String needle) {
    return text.split(java.util.regex.Pattern.quote(needle), -1).length - 1;
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  private static String stateRootAt(RpcClient client, long height) {
    return client.call("cairn_getBlockByNumber", height, false).path("header").path("stateRoot").asText(
        client.call("cairn_getBlockByNumber", height, false).path("stateRoot").asText());
  }

  private static void append(Path dir, int node, String toml) throws IOException {
    Files.writeString(TestnetProcesses.configFile(dir, node), toml, StandardOpenOption.APPEND);
  }

  private static CliRun cairn(String... args) {
    return CliRun.of(CairnCli.commandLine(), args);
  }

}
