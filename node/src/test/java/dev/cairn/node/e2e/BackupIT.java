package dev.cairn.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.node.cli.CairnCli;
import dev.cairn.rpc.client.RpcClient;
import dev.cairn.rpc.client.RpcError;
import dev.cairn.testsupport.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn backup} on a real node process that is committing blocks under load: the node writes a RocksDB
 * checkpoint without stopping, {@code verify-chain} passes on it, a node restored from it starts at the
 * backup's height with the same blocks and keeps finalizing, and an export from the backup imports into a
 * fresh data dir. Child output: target/e2e/BackupIT-*.log.
 */
class BackupIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String CHAIN_ID = "cairn-devnet";
  private static final Pattern BACKUP_LINE = Pattern.compile("backup of height (\\d+) ([0-9a-f]{64})");

  @TempDir Path dir;
  private final List<DevnetProcess> started = new ArrayList<>();

  @AfterEach
  void killNodes() throws InterruptedException {
    for (DevnetProcess node : started) {
      node.close();
    }
  }

  private static CliRun cairn(String... args) {
    return CliRun.of(CairnCli.commandLine(), args);
  }

  private DevnetProcess start(Path dataDir) throws IOException {
    DevnetProcess node = DevnetProcess.start(dataDir, Path.of("target", "e2e", "BackupIT-" + started.size() + ".log"));
    started.add(node);
    return node;
  }

  @Test
  void aBackupOfANodeCommittingUnderLoadVerifiesRestoresAndKeepsFinalizing() throws Exception {
    Path dataDir = dir.resolve("devnet");
    DevnetProcess node = start(dataDir);
    RpcClient client = new RpcClient(node.awaitRpc(), Duration.ofSeconds(30));
    KeyPair dev = KeyFiles.readNodeKey(dataDir.resolve("dev-account.key"));
    AtomicBoolean stop = new AtomicBoolean();
    Thread load = new Thread(() -> {
      for (int nonce = 0; nonce < 5_000 && !stop.get(); nonce++) {
        Transaction tx = Transaction.sign(CHAIN_ID, dev, nonce,
            new Payload.Transfer(KeyPair.fromSeedText("recipient-" + (nonce % 10)).address(), 1));
        try {
          client.call("cairn_sendTransaction", "0x" + TransactionCodec.encode(tx).toHex());
        } catch (RuntimeException e) {
          return;
        }
      }
    }, "load");
    load.start();
    Path backup = dir.resolve("backup");
    long backupHeight;
    String backupHash;
    try {
      await("blocks committing under load", () -> client.call("cairn_blockNumber").asLong() >= 3);
      CliRun run = cairn("backup", "--data-dir", dataDir.toString(), backup.toString());
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out()).contains("the node is running: asking it for a checkpoint");
      Matcher m = BACKUP_LINE.matcher(run.out());
      assertThat(m.find()).as(run.out()).isTrue();
      backupHeight = Long.parseLong(m.group(1));
      backupHash = m.group(2);
      // The node did not stop for it: it keeps committing past the backup.
      await("blocks after the backup", () -> client.call("cairn_blockNumber").asLong() > backupHeight + 2);
      assertThat(client.call("cairn_getBlockByNumber", backupHeight, false).path("hash").asText()).isEqualTo("0x" + backupHash);
      // Refused, with the reason, into a directory that already holds a backup.
      CliRun again = cairn("backup", "--data-dir", dataDir.toString(), backup.toString());
      assertThat(again.exitCode()).isEqualTo(1);
      assertThat(again.err()).contains("already exists");
    } finally {
      stop.set(true);
      load.join(30_000);
    }
    CliRun verify = cairn("verify-chain", "--data-dir", backup.toString());
    assertThat(verify.exitCode()).as(verify.err()).isZero();
    assertThat(verify.out()).contains("blocks ok: " + (backupHeight + 1) + " blocks").contains("chain OK");

    // An export from the backup while the node keeps running imports into a fresh data dir.
    Path file = dir.resolve("blocks.cairn");
    CliRun export = cairn("blocks", "export", "--data-dir", backup.toString(), "--genesis",
        dataDir.resolve("genesis.json").toString(), file.toString());
    assertThat(export.exitCode()).as(export.err()).isZero();
    CliRun imported = cairn("blocks", "import", "--data-dir", dir.resolve("imported").toString(), "--genesis",
        dataDir.resolve("genesis.json").toString(), file.toString());
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.out()).contains("head " + backupHeight + " " + backupHash);

    node.terminate();
    // Restore: the backup's chain/ with the operator's genesis and keys (kept outside the store).
    Path restored = dir.resolve("restored");
    Files.createDirectories(restored);
    for (String file2 : List.of("genesis.json", "validator.key", "dev-account.key")) {
      Files.copy(dataDir.resolve(file2), restored.resolve(file2));
    }
    copyTree(dataDir.resolve("wallet"), restored.resolve("wallet"));
    Files.move(backup.resolve("chain"), restored.resolve("chain"));
    DevnetProcess again = start(restored);
    RpcClient after = new RpcClient(again.awaitRpc(), Duration.ofSeconds(30));
    assertThat(after.call("cairn_blockNumber").asLong()).isGreaterThanOrEqualTo(backupHeight);
    assertThat(after.call("cairn_getBlockByNumber", backupHeight, false).path("hash").asText()).isEqualTo("0x" + backupHash);
    // The backup holds the validator's consensus state too: a block it had locked at backupHeight + 1 may be
    // finalized first, with transactions of the dev account. A transfer at the nonce read before that block is
    // then dropped as used; the next try reads the nonce again.
    JsonNode receipt = null;
    for (int attempt = 0; attempt < 5 && receipt == null; attempt++) {
      long nonce = after.call("cairn_getAccount", dev.address().toText()).path("nonce").asLong();
      Transaction next = Transaction.sign(CHAIN_ID, dev, nonce, new Payload.Transfer(KeyPair.fromSeedText("after").address(), 5));
      String txId = after.call("cairn_sendTransaction", "0x" + TransactionCodec.encode(next).toHex()).asText();
      receipt = awaitReceipt(after, txId);
    }
    assertThat(receipt).as("a transfer final on the restored node").isNotNull();
    assertThat(receipt.path("status").asText()).isEqualTo("success");
    assertThat(receipt.path("blockHeight").asLong()).isGreaterThan(backupHeight);
  }

  /** The receipt once final; null if the node dropped the transaction (unknown: neither pending nor final). */
  private static JsonNode awaitReceipt(RpcClient client, String txId) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode receipt;
      try {
        receipt = client.call("cairn_getReceipt", txId);
      } catch (RpcError e) {
        return null;
      }
      if (!receipt.isNull()) {
        return receipt;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("transaction " + txId + " neither final nor dropped within " + TIMEOUT);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Files.copy(path, to.resolve(from.relativize(path).toString()));
      }
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }
}
