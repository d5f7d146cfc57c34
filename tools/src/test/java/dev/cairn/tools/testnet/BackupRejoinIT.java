package dev.cairn.tools.testnet;

import static dev.cairn.tools.testnet.ChainProbe.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.network.GeneratedNetwork;
import dev.cairn.genesis.network.NetworkGenerator;
import dev.cairn.genesis.network.NetworkSpec;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.node.cli.CairnCli;
import dev.cairn.rpc.client.RpcClient;
import dev.cairn.tools.NodeJvm;
import dev.cairn.testsupport.FreePorts;
import dev.cairn.testsupport.CliRun;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code cairn backup} on a validator of a four-validator network of real processes while transactions flow:
 * the backup verifies; the validator, killed and restored from it, catches up by sync to the same chain as
 * the others, and rejoins consensus: with another validator then killed, the chain goes on only because the
 * restored one votes (3 of 4). Logs stay in {@code tools/target/backup-rejoin-it/node-<i>/node.log}.
 */
class BackupRejoinIT {
  private static final int VALIDATORS = 4;
  private static final long STEP_TIMEOUT_MILLIS = 120_000;
  private static final Pattern BACKUP_LINE = Pattern.compile("backup of height (\\d+) ([0-9a-f]{64})");

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void aValidatorRestoredFromAnOnlineBackupCatchesUpAndVotesAgain() throws Exception {
    Path dir = Path.of("target", "backup-rejoin-it").toAbsolutePath();
    deleteRecursively(dir);
    FreePorts.NetworkPorts ports = FreePorts.network(VALIDATORS, NetworkSpec.METRICS_PORT_OFFSET);
    int basePort = ports.p2p();
    int rpcBasePort = ports.rpc();
    ConsensusParameters d = ConsensusParameters.DEFAULTS;
    NetworkSpec spec = new NetworkSpec(VALIDATORS, 0, "cairn-backup-it", (System.currentTimeMillis() / 1000) * 1000,
        new ConsensusParameters(500, d.roundTimeoutMillis(), d.roundTimeoutMillisMax(), d.blockTxsMax(), d.blockBytesMax(), true),
        basePort, rpcBasePort, NetworkSpec.DEFAULT_DEV_BALANCE);
    GeneratedNetwork network = new NetworkGenerator(KeyPair::generate).generate(spec, dir);
    assertThat(NodeJvm.nodeJar()).as("the node's shaded jar (-D%s, set by this module's pom)", NodeJvm.NODE_JAR_PROPERTY).isPresent();
    List<String> command = NodeJvm.command(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
    List<RpcClient> rpc = new ArrayList<>();
    for (int i = 0; i < VALIDATORS; i++) {
      rpc.add(new RpcClient(URI.create("http://127.0.0.1:" + (rpcBasePort + i)), Duration.ofSeconds(5)));
    }
    KeyPair dev = KeyFiles.readNodeKey(network.devAccountKeyFile());
    KeyPair recipient = KeyPair.generate();
    String chainId = network.genesis().chainId();
    int restored = 2;
    Path data = dir.resolve("node-" + restored).resolve("data");
    Path backup = dir.resolve("backup");

    try (TestnetProcesses processes = new TestnetProcesses(dir, command)) {
      for (int i = 0; i < VALIDATORS; i++) {
        processes.start(i);
      }
      awaitTrue("every node reaches height 3", STEP_TIMEOUT_MILLIS, () -> allAtLeast(rpc, List.of(0, 1, 2, 3), 3));

      // Transfers flow to node-0 and node-1 while the backup is taken.
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong nonce = new AtomicLong();
      List<String> txIds = java.util.Collections.synchronizedList(new ArrayList<>());
      Thread load = new Thread(() -> {
        while (!stop.get()) {
          long n = nonce.get();
          try {
            txIds.add(send(rpc.get((int) (n % 2)), dev, recipient, n, chainId));
            nonce.incrementAndGet();
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          } catch (RuntimeException e) {
            // a refused or timed-out call: the same nonce is tried again
          }
        }
      }, "load");
      load.start();
      long backupHeight;
      String backupHash;
      try {
        awaitTrue("transfers finalizing", STEP_TIMEOUT_MILLIS, () -> txIds.size() > 20 && allFinal(rpc.get(0), List.copyOf(txIds.subList(0, 10))));
        CliRun run = cairn("backup", "--data-dir", data.toString(), backup.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("the node is running");
        Matcher m = BACKUP_LINE.matcher(run.out());
        assertThat(m.find()).as(run.out()).isTrue();
        backupHeight = Long.parseLong(m.group(1));
        backupHash = m.group(2);
        awaitTrue("the network goes on past the backup", STEP_TIMEOUT_MILLIS,
            () -> allAtLeast(rpc, List.of(0, 1, 2, 3), backupHeight + 5));
      } finally {
        stop.set(true);
        load.join(30_000);
      }
      CliRun verify = cairn("verify-chain", "--data-dir", backup.toString());
      assertThat(verify.exitCode()).as(verify.err()).isZero();

      // Restore node-2 from its backup: the chain store replaced, key and config kept.
      processes.kill(restored);
      deleteRecursively(data.resolve("chain"));
      Files.move(backup.resolve("chain"), data.resolve("chain"));
      processes.start(restored);
      long target = height(rpc.get(0));
      awaitTrue("node-" + restored + " catches up from the backup's height " + backupHeight + " to " + target,
          STEP_TIMEOUT_MILLIS, () -> allAtLeast(rpc, List.of(restored), target));
      assertThat(hashAt(rpc.get(restored), backupHeight)).isEqualTo("0x" + backupHash);
      for (long h = 1; h <= target; h++) {
        assertThat(hashAt(rpc.get(restored), h)).as("hash at %d", h).isEqualTo(hashAt(rpc.get(0), h));
      }
      awaitTrue("every transfer final on the restored node", STEP_TIMEOUT_MILLIS, () -> allFinal(rpc.get(restored), List.copyOf(txIds)));

      // Rejoin: with node-3 down, a quorum (3 of 4) needs the restored validator.
      processes.kill(3);
      long afterKill = height(rpc.get(0));
      String last = send(rpc.get(restored), dev, recipient, nonce.get(), chainId);
      awaitTrue("a transfer sent to the restored validator is final", STEP_TIMEOUT_MILLIS, () -> allFinal(rpc.get(0), List.of(last)));
      awaitTrue("node-0, node-1 and the restored node-2 finalize 5 more blocks", STEP_TIMEOUT_MILLIS,
          () -> allAtLeast(rpc, List.of(0, 1, restored), afterKill + 5));
      System.out.printf("BackupRejoinIT backup_height=%d restored_caught_up_to=%d finalized_without_node3=%d%n",
          backupHeight, target, height(rpc.get(0)) - afterKill);
    }
  }

  private static CliRun cairn(String... args) {
    return CliRun.of(CairnCli.commandLine(), args);
  }

}
