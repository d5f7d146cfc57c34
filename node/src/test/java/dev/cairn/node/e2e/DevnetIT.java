package dev.cairn.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.node.cli.CairnCli;
import dev.cairn.rpc.client.RpcClient;
import dev.cairn.rpc.client.RpcError;
import dev.cairn.testsupport.ChildLogs;
import dev.cairn.testsupport.CliRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The real node end to end, as a user and an operator meet it: {@code cairn devnet} runs as a child JVM on a
 * temp data dir and an OS-assigned RPC port; the wallet CLI (in-process, as {@code ./wallet} would run it)
 * creates keys, funds, transfers, puts a record, waits for finality and verifies state proofs trusting only
 * the genesis validators; {@code cairn verify-chain} checks the stopped node's RocksDB. Restarts after
 * SIGTERM and after SIGKILL under load must find every finalized transaction again, and bad input of every
 * kind must get its own JSON-RPC error while the node keeps finalizing. Child output: target/e2e/*.log.
 */
class DevnetIT {
  /** Finality of one transaction on a loaded machine: block period 200 ms, generous for CI under load. */
  private static final Duration FINALITY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration RPC_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAIN_ID = "cairn-devnet";
  /** Upper bound on the transfers the kill test submits; it stops at the kill, usually far earlier. */
  private static final int LOAD_TXS_MAX = 3000;

  @TempDir Path dir;
  @RegisterExtension final ChildLogs childLogs = new ChildLogs();
  private final List<DevnetProcess> started = new ArrayList<>();
  private String testName;

  @AfterEach
  void killNodes() throws InterruptedException {
    for (DevnetProcess node : started) {
      node.close();
    }
  }

  @BeforeEach
  void name(TestInfo info) {
    testName = info.getTestMethod().orElseThrow().getName();
  }

  private Path dataDir() {
    return dir.resolve("devnet");
  }

  private DevnetProcess startNode() throws Exception {
    Path log = Path.of("target", "e2e", testName + "-" + started.size() + ".log");
    DevnetProcess node = DevnetProcess.start(dataDir(), childLogs.watch(log));
    started.add(node);
    return node;
  }

  /**
   * A start with keys and a keystore (the devnet's validator key, its dev account and that account's
   * encrypted keystore), every logger at TRACE, a transfer signed through the keystore: no log line holds a
   * key seed, the keystore's salt, IV or ciphertext, or a password field.
   */
  @Test
  void noSecretReachesALogLineEvenAtTrace() throws Exception {
    Path log = Path.of("target", "e2e", testName + ".log");
    // The node's own logback.xml (the test class path would give it logback-test.xml): its key=value lines.
    Path logback = Path.of("target", "classes", "logback.xml").toAbsolutePath();
    DevnetProcess node = DevnetProcess.start(dataDir(), childLogs.watch(log), List.of("-Dlogback.configurationFile=" + logback),
        List.of("--log-level", "TRACE"));
    started.add(node);
    URI rpc = node.awaitRpc();
    String recipient = KeyPair.generate().address().toText();
    walletOk(rpc, dataDir().resolve("wallet"), "devnet", "transfer", "--to", recipient, "--amount", "5", "--wait");
    assertThat(node.terminate()).as("exit code after SIGTERM").isIn(0, 143);

    List<String> secrets = new ArrayList<>();
    secrets.add(Files.readString(dataDir().resolve("validator.key")).trim());
    secrets.add(Files.readString(dataDir().resolve("dev-account.key")).trim());
    try (var keystores = Files.list(dataDir().resolve("wallet"))) {
      for (Path keystore : keystores.toList()) {
        JsonNode crypto = JSON.readTree(keystore.toFile()).get("crypto");
        for (String field : List.of("salt", "iv", "ciphertext")) {
          secrets.add(crypto.get(field).asText());
        }
      }
    }
    assertThat(secrets).hasSize(5).allSatisfy(secret -> assertThat(secret).hasSizeGreaterThanOrEqualTo(24));
    List<String> logLines = Files.readAllLines(log).stream().filter(line -> line.startsWith("ts=")).toList();
    assertThat(logLines).as("TRACE logs of a start, blocks and a transfer")
        .anySatisfy(line -> assertThat(line).contains("level=DEBUG"))
        .anySatisfy(line -> assertThat(line).contains("event=block_committed"));
    for (String line : logLines) {
      String lower = line.toLowerCase(java.util.Locale.ROOT);
      for (String secret : secrets) {
        assertThat(lower).as("a log line").doesNotContain(secret.toLowerCase(java.util.Locale.ROOT));
      }
      assertThat(lower).doesNotContainPattern("password\\s*[=:]").doesNotContain("password=devnet");
    }
  }

  // ---- wallet CLI, in-process ----

  private CliRun wallet(URI rpc, Path walletDir, String password, String... args) throws Exception {
    return WalletRuns.wallet(rpc, walletDir, password, FINALITY_TIMEOUT, args);
  }

  private CliRun walletOk(URI rpc, Path walletDir, String password, String... args) throws Exception {
    CliRun run = wallet(rpc, walletDir, password, args);
    assertThat(run.exitCode()).as("wallet %s\nout: %s\nerr: %s", String.join(" ", args), run.out(), run.err()).isZero();
    return run;
  }

  private static String txId(CliRun run) throws Exception {
    return JSON.readTree(run.out()).path("txId").asText();
  }

  // ---- RPC helpers ----

  private static RpcClient client(URI rpc) {
    return new RpcClient(rpc, RPC_TIMEOUT);
  }

  private static JsonNode awaitReceipt(RpcClient client, String txId) throws InterruptedException {
    long deadline = System.nanoTime() + FINALITY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode receipt = client.call("cairn_getReceipt", txId);
      if (!receipt.isNull()) {
        return receipt;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("transaction " + txId + " not final within " + FINALITY_TIMEOUT);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + FINALITY_TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  private static String balance(RpcClient client, String address) {
    return client.call("cairn_getAccount", address).path("balance").asText();
  }

  private static long nonce(RpcClient client, String address) {
    return client.call("cairn_getAccount", address).path("nonce").asLong();
  }

  private int verifyChain() {
    CommandLine cli = CairnCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("verify-chain", "--data-dir", dataDir().toString());
    assertThat(code).as("verify-chain\nout: %s\nerr: %s", out, err).isZero();
    assertThat(out.toString()).contains("chain OK");
    return code;
  }

  private KeyPair devKey() {
    return KeyFiles.readNodeKey(dataDir().resolve("dev-account.key"));
  }

  @Test
  void walletFundsTransfersPutsAndProvesThenTheChainSurvivesACleanRestart() throws Exception {
    DevnetProcess node = startNode();
    URI rpc = node.awaitRpc();
    RpcClient client = client(rpc);
    Path devWallet = dataDir().resolve("wallet");
    Path aliceWallet = dir.resolve("alice");
    Path bobWallet = dir.resolve("bob");
    String dev = devKey().address().toText();
    String alice = JSON.readTree(walletOk(rpc, aliceWallet, "alice-pw", "--json", "new").out()).path("address").asText();
    String bob = JSON.readTree(walletOk(rpc, bobWallet, "bob-pw", "--json", "new").out()).path("address").asText();

    // Two quick transactions without --wait: the second must take the nonce after the pending first.
    Map<String, String> finalTxs = new LinkedHashMap<>();
    finalTxs.put("grant alice", txId(walletOk(rpc, devWallet, "devnet", "--json", "grant", "--account", alice, "--role", "member")));
    finalTxs.put("fund alice", txId(walletOk(rpc, devWallet, "devnet", "--json", "transfer", "--to", alice, "--amount", "1000")));
    walletOk(rpc, devWallet, "devnet", "transfer", "--to", bob, "--amount", "500", "--wait");
    for (String id : finalTxs.values()) {
      assertThat(awaitReceipt(client, id).path("status").asText()).isEqualTo("success");
    }
    CliRun transfer = walletOk(rpc, aliceWallet, "alice-pw", "--json", "transfer", "--to", bob, "--amount", "250", "--wait");
    JsonNode transferReceipt = JSON.readTree(transfer.out());
    assertThat(transferReceipt.path("status").asText()).isEqualTo("success");
    finalTxs.put("alice to bob", transferReceipt.path("txId").asText());
    CliRun put = walletOk(rpc, aliceWallet, "alice-pw", "--json", "record", "put", "doc/1", "hello cairn", "--wait");
    finalTxs.put("record put", JSON.readTree(put.out()).path("txId").asText());

    Map<String, String> balances = Map.of(dev, Long.toString(1_000_000_000_000L - 1500), alice, "750", bob, "750");
    balances.forEach((address, expected) -> assertThat(balance(client, address)).as(address).isEqualTo(expected));
    assertThat(nonce(client, dev)).isEqualTo(3);
    assertThat(nonce(client, alice)).isEqualTo(2);
    assertThat(nonce(client, bob)).isZero();
    assertThat(client.call("cairn_getRecord", alice, "doc/1").path("value").asText())
        .isEqualTo("0x" + Bytes.wrap("hello cairn".getBytes(StandardCharsets.UTF_8)).toHex());

    // State proofs, trusting only genesis.json's validators.
    Path genesis = dataDir().resolve("genesis.json");
    CliRun accountProof = walletOk(rpc, aliceWallet, "alice-pw", "verify-proof", "--validators", genesis.toString());
    assertThat(accountProof.out()).startsWith("VERIFIED account " + alice).contains("balance 750, nonce 2");
    CliRun recordProof = walletOk(rpc, aliceWallet, "alice-pw", "verify-proof", "--record", "doc/1", "--validators", genesis.toString());
    assertThat(recordProof.out()).contains("\"hello cairn\"");
    Path strangers = dir.resolve("strangers.txt");
    Files.writeString(strangers, KeyPair.generate().publicKey().toHex() + "\n");
    CliRun untrusted = wallet(rpc, aliceWallet, "alice-pw", "verify-proof", "--validators", strangers.toString());
    assertThat(untrusted.exitCode()).as("a proof is only as good as the trusted set").isEqualTo(1);
    assertThat(untrusted.out()).startsWith("NOT VERIFIED");

    Map<String, JsonNode> receipts = new LinkedHashMap<>();
    for (Map.Entry<String, String> tx : finalTxs.entrySet()) {
      receipts.put(tx.getKey(), client.call("cairn_getReceipt", tx.getValue()));
    }
    long height = client.call("cairn_blockNumber").asLong();

    // Clean stop, offline check, restart on the same data dir: everything final is still there.
    assertThat(node.terminate()).as("exit code after SIGTERM").isIn(0, 143);
    verifyChain();
    DevnetProcess again = startNode();
    RpcClient after = client(again.awaitRpc());
    assertThat(after.call("cairn_blockNumber").asLong()).isGreaterThanOrEqualTo(height);
    for (Map.Entry<String, String> tx : finalTxs.entrySet()) {
      assertThat(after.call("cairn_getReceipt", tx.getValue())).as(tx.getKey()).isEqualTo(receipts.get(tx.getKey()));
    }
    balances.forEach((address, expected) -> assertThat(balance(after, address)).as(address).isEqualTo(expected));
    // Bob was never granted membership: refused at admission with its own code, and nothing changes.
    CliRun refused = wallet(again.awaitRpc(), bobWallet, "bob-pw", "transfer", "--to", alice, "--amount", "1", "--wait");
    assertThat(refused.exitCode()).isEqualTo(3);
    assertThat(refused.err()).contains("member role");
    // The restarted node keeps finalizing.
    walletOk(again.awaitRpc(), devWallet, "devnet", "transfer", "--to", alice, "--amount", "5", "--wait");
    assertThat(balance(after, alice)).isEqualTo("755");
    assertThat(balance(after, bob)).isEqualTo("750");
  }

  @Test
  void historyPagesAndTransactionProofsVerifyAgainstTheGenesisValidators() throws Exception {
    DevnetProcess node = startNode();
    URI rpc = node.awaitRpc();
    RpcClient client = client(rpc);
    Path devWallet = dataDir().resolve("wallet");
    Path aliceWallet = dir.resolve("alice");
    String alice = JSON.readTree(walletOk(rpc, aliceWallet, "alice-pw", "--json", "new").out()).path("address").asText();
    String grant = txId(walletOk(rpc, devWallet, "devnet", "--json", "grant", "--account", alice, "--role", "member", "--wait"));
    String fund = txId(walletOk(rpc, devWallet, "devnet", "--json", "transfer", "--to", alice, "--amount", "100", "--wait"));
    List<String> puts = new ArrayList<>();
    for (String value : List.of("first", "second", "third")) {
      puts.add(txId(walletOk(rpc, aliceWallet, "alice-pw", "--json", "record", "put", "doc", value, "--wait")));
    }

    // Alice's history, newest first, two per page through the cursor: her puts, the funding, the grant.
    List<String> seen = new ArrayList<>();
    java.util.Optional<String> cursor = java.util.Optional.empty();
    do {
      JsonNode page = client.getAccountHistory(dev.cairn.ledger.crypto.Address.parse(alice), cursor, java.util.OptionalInt.of(2));
      page.path("entries").forEach(e -> seen.add(e.path("txId").asText()));
      cursor = page.path("nextCursor").isTextual() ? java.util.Optional.of(page.path("nextCursor").asText()) : java.util.Optional.empty();
    } while (cursor.isPresent());
    assertThat(seen).containsExactly(puts.get(2), puts.get(1), puts.get(0), fund, grant);
    CliRun history = walletOk(rpc, aliceWallet, "alice-pw", "history", "--limit", "2", "--pages", "3");
    assertThat(history.out()).contains("received 100 from").contains("record put 'doc'").contains("role_grant member by")
        .contains("(end of history)");
    JsonNode values = client.getRecordHistory(dev.cairn.ledger.crypto.Address.parse(alice), "doc",
        java.util.Optional.empty(), java.util.OptionalInt.empty());
    assertThat(values.path("entries")).extracting(e -> e.path("txId").asText()).containsExactlyElementsOf(puts.reversed());
    assertThat(values.path("entries").get(0).path("value").asText())
        .isEqualTo("0x" + Bytes.wrap("third".getBytes(StandardCharsets.UTF_8)).toHex());

    // Each transaction's inclusion and receipt, checked against genesis.json's validators only.
    Path genesis = dataDir().resolve("genesis.json");
    for (String id : List.of(grant, fund, puts.get(1))) {
      CliRun proof = walletOk(rpc, aliceWallet, "alice-pw", "verify-proof", "--tx", id, "--validators", genesis.toString());
      assertThat(proof.out()).startsWith("VERIFIED transaction " + id).contains("success (ok)");
    }
    Path strangers = dir.resolve("strangers.txt");
    Files.writeString(strangers, KeyPair.generate().publicKey().toHex() + "\n");
    CliRun untrusted = wallet(rpc, aliceWallet, "alice-pw", "verify-proof", "--tx", fund, "--validators", strangers.toString());
    assertThat(untrusted.exitCode()).isEqualTo(1);
    assertThat(untrusted.out()).startsWith("NOT VERIFIED");
    long height = client.call("cairn_getReceipt", fund).path("blockHeight").asLong();
    assertThat(client.getBlockReceipts(height).path("receipts")).extracting(r -> r.path("txId").asText()).contains(fund);

    // The offline check reads the history families too: every entry backed by its block, none beyond.
    assertThat(node.terminate()).isIn(0, 143);
    verifyChain();
  }

  @Test
  void sigkillUnderLoadLeavesAConsistentChainThatRestartsAndFinalizes() throws Exception {
    DevnetProcess node = startNode();
    RpcClient client = client(node.awaitRpc());
    KeyPair dev = devKey();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger submitted = new AtomicInteger();
    Thread load = new Thread(() -> {
      for (int nonce = 0; nonce < LOAD_TXS_MAX && !stop.get(); nonce++) {
        Transaction tx = Transaction.sign(CHAIN_ID, dev, nonce,
            new Payload.Transfer(KeyPair.fromSeedText("recipient-" + (nonce % 10)).address(), 1));
        try {
          client.call("cairn_sendTransaction", "0x" + TransactionCodec.encode(tx).toHex());
          submitted.incrementAndGet();
        } catch (RuntimeException e) {
          return; // the node was killed under us
        }
      }
    }, "load");
    load.start();
    List<JsonNode> finalBlocks = new ArrayList<>();
    try {
      await("blocks committing under load", () -> client.call("cairn_blockNumber").asLong() >= 3);
      // What the node said was final just before the kill: it must all be there after the restart.
      long finalHeight = client.call("cairn_blockNumber").asLong();
      for (long h = 1; h <= finalHeight; h++) {
        finalBlocks.add(client.call("cairn_getBlockByNumber", h, false));
      }
      // A random moment within about one block period, so that over runs the kill lands inside commits too.
      long seed = Long.getLong("cairn.e2e.seed", System.nanoTime());
      long delayMillis = new java.util.Random(seed).nextLong(2 * DevnetProcess.BLOCK_PERIOD_MILLIS);
      System.out.printf("DevnetIT kill seed=%d delay_ms=%d (rerun with -Dcairn.e2e.seed=%d)%n", seed, delayMillis, seed);
      Thread.sleep(delayMillis);
      node.kill();
    } finally {
      stop.set(true);
      load.join(RPC_TIMEOUT.toMillis());
    }
    verifyChain();

    DevnetProcess again = startNode();
    RpcClient after = client(again.awaitRpc());
    long head = after.call("cairn_blockNumber").asLong();
    assertThat(head).isGreaterThanOrEqualTo(finalBlocks.size());
    for (JsonNode block : finalBlocks) {
      assertThat(after.call("cairn_getBlockByNumber", block.path("height").asLong(), false))
          .as("block %d, final before the kill", block.path("height").asLong()).isEqualTo(block);
    }
    long nonce = nonce(after, dev.address().toText());
    // +1: the call in flight at the kill may have been admitted and committed without its answer arriving.
    assertThat(nonce).as("submitted %d", submitted.get()).isPositive().isLessThanOrEqualTo(submitted.get() + 1);
    // The dev account's nonce says exactly how many of its transfers the chain holds: 0..nonce-1 final.
    for (long n : List.of(0L, nonce / 2, nonce - 1)) {
      Transaction tx = Transaction.sign(CHAIN_ID, dev, n,
          new Payload.Transfer(KeyPair.fromSeedText("recipient-" + (n % 10)).address(), 1));
      assertThat(after.call("cairn_getReceipt", "0x" + tx.id().toHex()).path("status").asText()).as("nonce " + n).isEqualTo("success");
    }
    assertThat(balance(after, dev.address().toText())).isEqualTo(Long.toString(1_000_000_000_000L - nonce));
    // A transaction that was only pending at the kill is gone with the mempool, not half-applied.
    Transaction lost = Transaction.sign(CHAIN_ID, dev, nonce,
        new Payload.Transfer(KeyPair.fromSeedText("recipient-" + (nonce % 10)).address(), 1));
    assertThat(errorCode(() -> after.call("cairn_getReceipt", "0x" + lost.id().toHex()))).isEqualTo(-32020);
    // The restarted node keeps finalizing, from the nonce the chain says is next.
    String next = after.call("cairn_sendTransaction", "0x" + TransactionCodec.encode(lost).toHex()).asText();
    assertThat(awaitReceipt(after, next).path("blockHeight").asLong()).isGreaterThan(head);
  }

  @Test
  void badInputGetsItsOwnErrorAndTheNodeKeepsFinalizing() throws Exception {
    DevnetProcess node = startNode();
    URI rpc = node.awaitRpc();
    RpcClient client = client(rpc);
    KeyPair dev = devKey();
    KeyPair recipient = KeyPair.fromSeedText("recipient");
    Transaction good = Transaction.sign(CHAIN_ID, dev, 0, new Payload.Transfer(recipient.address(), 7));
    String goodHex = "0x" + TransactionCodec.encode(good).toHex();

    assertThat(errorCode(() -> client.call("cairn_sendTransaction", "0xzz"))).as("malformed hex").isEqualTo(-32602);
    assertThat(errorCode(() -> client.call("cairn_sendTransaction", "0x" + "ab".repeat(200)))).as("garbage bytes").isEqualTo(-32000);
    Transaction otherChain = Transaction.sign("other-chain", dev, 0, new Payload.Transfer(recipient.address(), 7));
    assertThat(errorCode(() -> client.call("cairn_sendTransaction", hex(otherChain)))).as("wrong chain id").isEqualTo(-32001);
    byte[] signature = good.signature().bytes().toArray();
    signature[5] ^= 0x10;
    Transaction forged = new Transaction(CHAIN_ID, dev.publicKey(), 0, good.payload(), new Signature(Bytes.wrap(signature)));
    assertThat(errorCode(() -> client.call("cairn_sendTransaction", hex(forged)))).as("bad signature").isEqualTo(-32002);
    Transaction stranger = Transaction.sign(CHAIN_ID, KeyPair.generate(), 0, new Payload.Transfer(recipient.address(), 1));
    assertThat(errorCode(() -> client.call("cairn_sendTransaction", hex(stranger)))).as("not a member").isEqualTo(-32003);

    String id = client.call("cairn_sendTransaction", goodHex).asText();
    awaitReceipt(client, id);
    assertThat(errorCode(() -> client.call("cairn_sendTransaction", goodHex))).as("replayed tx").isEqualTo(-32004);

    String call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cairn_chainId\"}";
    assertThat(rawErrorCode(rpc, "[" + String.join(",", java.util.Collections.nCopies(1001, call)) + "]"))
        .as("huge batch").isEqualTo(-32041);
    assertThat(rawErrorCode(rpc, "[".repeat(100_000))).as("deep nesting").isEqualTo(-32043);
    assertThat(rawErrorCode(rpc, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cairn_chainId\"} trailing")).isEqualTo(-32700);
    byte[] garbage = new byte[4096];
    new java.util.Random(7).nextBytes(garbage);
    assertThat(rawErrorCode(rpc, new String(garbage, StandardCharsets.ISO_8859_1))).as("garbage body").isEqualTo(-32700);
    HttpResponse<String> tooLarge = post(rpc, "[" + " ".repeat(2 * 1024 * 1024) + "]");
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(tooLarge.body()).path("error").path("code").asInt()).isEqualTo(-32042);
    assertThat(errorCode(() -> client.call("cairn_noSuchMethod"))).isEqualTo(-32601);

    assertThat(node.isAlive()).isTrue();
    Transaction next = Transaction.sign(CHAIN_ID, dev, 1, new Payload.Transfer(recipient.address(), 3));
    String nextId = client.call("cairn_sendTransaction", hex(next)).asText();
    assertThat(awaitReceipt(client, nextId).path("status").asText()).isEqualTo("success");
    assertThat(balance(client, recipient.address().toText())).isEqualTo("10");
    assertThat(node.terminate()).isIn(0, 143);
    verifyChain();
  }

  private static String hex(Transaction tx) {
    return "0x" + TransactionCodec.encode(tx).toHex();
  }

  private static int errorCode(Runnable call) {
    try {
      call.run();
    } catch (RpcError e) {
      return e.code();
    }
    throw new AssertionError("expected a JSON-RPC error");
  }

  private static HttpResponse<String> post(URI rpc, String body) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(RPC_TIMEOUT).build();
    return http.send(HttpRequest.newBuilder(rpc).timeout(RPC_TIMEOUT).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.ISO_8859_1)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The error code of a raw request's single (non-batch) error answer. */
  private static int rawErrorCode(URI rpc, String body) throws Exception {
    HttpResponse<String> response = post(rpc, body);
    JsonNode answer = JSON.readTree(response.body());
    assertThat(answer.isObject()).as("one error object for %s...: %s", body.substring(0, Math.min(40, body.length())), response.body()).isTrue();
    return answer.path("error").path("code").asInt();
  }
}
