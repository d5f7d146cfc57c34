package dev.cairn.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.rpc.client.RpcClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explorer in a real browser against a real node: a {@code cairn devnet} child JVM (which serves the
 * explorer) gets transfers, a record and a notarization record; Debian's chromium, headless, driven by
 * playwright-core from npm (pinned in explorer/src/test/browser/package-lock.json, installed into
 * target/explorer-browser), walks every page, searches, drops the notarized file, watches a new transfer go
 * final, and visits the same pages through {@link TamperingProxy}, whose altered balance and seal must show as
 * not verified. A second chain, two validators in this JVM ({@link PendingVoteNetwork}), holds a vote one short of
 * passing, which the validators page must show with its tally verified. A machine without chromium gets it from scripts/ensure-packages.sh; a machine where that
 * fails, or without node and npm, fails this test: it is never skipped. Output: target/e2e/explorer*.log,
 * screenshots in target/explorer-screenshots, page weight in target/explorer-screenshots/weight.json.
 */
class ExplorerIT {
  private static final Path BROWSER_TEST = Path.of("../explorer/src/test/browser");
  private static final Path WORK = Path.of("target/explorer-browser");
  private static final Path SCREENSHOTS = Path.of("target/explorer-screenshots");
  private static final Path VECTORS = Path.of("../docs/vectors/cairn-vectors.json");
  /** Written by the wallet's NotarizationCodecTest where that codec exists; checked in the browser when present. */
  private static final Path NOTARIZATION_VECTORS = Path.of("../docs/vectors/notarization-vectors.json");
  private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CAIRN_CHROMIUM", "/usr/bin/chromium"));
  private static final long INSTALL_TIMEOUT_SECONDS = 900;
  private static final long BROWSER_TEST_TIMEOUT_SECONDS = 300;
  private static final Duration FINALITY_TIMEOUT = Duration.ofSeconds(90);
  private static final String CHAIN_ID = "cairn-devnet";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void theExplorerShowsAndVerifiesARealChainInChromium() throws Exception {
    ensureChromium();
    install();
    try (DevnetProcess node = DevnetProcess.start(dir.resolve("devnet"), Path.of("target", "e2e", "explorer-node.log"))) {
      URI rpc = node.awaitRpc();
      checkServing(rpc);
      RpcClient client = new RpcClient(rpc, Duration.ofSeconds(30));
      KeyPair dev = KeyFiles.readNodeKey(dir.resolve("devnet/dev-account.key"));
      KeyPair recipient = KeyPair.fromSeedText("explorer-it-recipient");
      Path notarized = WORK.resolve("notarized-contract.txt").toAbsolutePath();
      Files.writeString(notarized, "A contract notarized by ExplorerIT at " + System.nanoTime() + "\n");
      String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(notarized)));

      Transaction first = Transaction.sign(CHAIN_ID, dev, 0, new Payload.Transfer(recipient.address(), 250));
      Transaction second = Transaction.sign(CHAIN_ID, dev, 1, new Payload.Transfer(recipient.address(), 5));
      Transaction record = Transaction.sign(CHAIN_ID, dev, 2,
          new Payload.RecordPut("greeting", Bytes.wrap("hello explorer".getBytes(StandardCharsets.UTF_8))));
      JsonNode firstReceipt = sendAndAwait(client, first);
      sendAndAwait(client, second);
      JsonNode recordReceipt = sendAndAwait(client, record);
      Transaction notary = Transaction.sign(CHAIN_ID, dev, 3, new Payload.RecordPut("notary/sha256/" + digest,
          notarizationValue(HexFormat.of().parseHex(digest), Files.size(notarized), "notarized-contract.txt", "signed by ExplorerIT")));
      JsonNode notaryReceipt = sendAndAwait(client, notary);
      Transaction live = Transaction.sign(CHAIN_ID, dev, 4, new Payload.Transfer(KeyPair.fromSeedText("explorer-it-live").address(), 7));

      try (TamperingProxy proxy = TamperingProxy.start(rpc); PendingVoteNetwork voting = PendingVoteNetwork.start(dir.resolve("votes"))) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("chromium", CHROMIUM.toString());
        cfg.put("explorer", rpc + "/explorer/");
        cfg.put("tampered", proxy.uri() + "/explorer/");
        cfg.put("rpc", rpc + "/");
        cfg.put("screenshotsDir", SCREENSHOTS.toAbsolutePath().toString());
        cfg.put("metricsFile", SCREENSHOTS.resolve("weight.json").toAbsolutePath().toString());
        cfg.put("vectors", VECTORS.toAbsolutePath().normalize().toString());
        cfg.put("notarizationVectors", NOTARIZATION_VECTORS.toAbsolutePath().normalize().toString());
        cfg.put("finalHeight", notaryReceipt.path("blockHeight").asLong());
        cfg.put("txId", hex(first));
        cfg.put("txAmount", 250);
        cfg.put("txHeight", firstReceipt.path("blockHeight").asLong());
        cfg.put("txBlockHash", firstReceipt.path("blockHash").asText());
        cfg.put("recipient", recipient.address().toText());
        cfg.put("recipientBalance", 255);
        cfg.put("owner", dev.address().toText());
        cfg.put("recordKey", "greeting");
        cfg.put("recordValue", "hello explorer");
        cfg.put("recordHeight", recordReceipt.path("blockHeight").asLong());
        cfg.put("notarizedFile", notarized.toString());
        cfg.put("notarizedDigest", digest);
        cfg.put("notarizedHeight", notaryReceipt.path("blockHeight").asLong());
        cfg.put("liveTx", "0x" + TransactionCodec.encode(live).toHex());
        cfg.put("liveTxId", hex(live));
        cfg.put("votesExplorer", voting.rpc() + "/explorer/");
        cfg.put("voteCandidate", "0x" + voting.candidate().toHex());
        cfg.put("voteVoter", "0x" + voting.voter().toHex());
        runBrowserTest(JSON.writeValueAsString(cfg), node);
        assertThat(proxy.tamperedAnswers()).as("the proxy altered answers the browser asked for").isPositive();
      }
    }
    for (String page : List.of("dashboard", "blocks", "block", "tx", "account", "record", "validators", "validators-pending-vote", "notarize",
        "search-no-match", "dashboard-narrow", "unreachable", "tampered-account", "tampered-block")) {
      assertThat(SCREENSHOTS.resolve(page + ".png")).as("screenshot of " + page).isNotEmptyFile();
    }
  }

  /**
   * The record value {@code wallet notarize} writes (docs/formats.md, "Notarization record"): type 0x40,
   * version 1, SHA-256, digest, size u64, name and description as u32-length UTF-8 strings.
   */
  private static Bytes notarizationValue(byte[] digest, long size, String name, String description) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] d = description.getBytes(StandardCharsets.UTF_8);
    java.nio.ByteBuffer value = java.nio.ByteBuffer.allocate(3 + 32 + 8 + 4 + n.length + 4 + d.length)
        .put((byte) 0x40).put((byte) 0x01).put((byte) 0x01).put(digest).putLong(size)
        .putInt(n.length).put(n).putInt(d.length).put(d);
    return Bytes.wrap(value.array());
  }

  private static String hex(Transaction tx) {
    return "0x" + tx.id().toHex();
  }

  private static JsonNode sendAndAwait(RpcClient client, Transaction tx) throws InterruptedException {
    String id = client.sendTransaction(TransactionCodec.encode(tx));
    assertThat(id).isEqualTo(hex(tx));
    long deadline = System.nanoTime() + FINALITY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      var receipt = client.getReceipt(id);
      if (receipt.isPresent()) {
        assertThat(receipt.get().path("status").asText()).as("receipt of %s", id).isEqualTo("success");
        return receipt.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("not final within " + FINALITY_TIMEOUT + ": " + id);
  }

  /** The routes on the real node: redirect, index, content types, security and cache headers, 304, 404. */
  private static void checkServing(URI rpc) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> bare = http.send(HttpRequest.newBuilder(rpc.resolve("/explorer")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(bare.statusCode()).isEqualTo(301);
    assertThat(bare.headers().firstValue("Location")).hasValue("/explorer/");
    HttpResponse<String> index = http.send(HttpRequest.newBuilder(rpc.resolve("/explorer/")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(index.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'").doesNotContain("unsafe", "http", "*");
    HttpResponse<String> module = http.send(HttpRequest.newBuilder(rpc.resolve("/explorer/js/app.js")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(module.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
    assertThat(module.headers().firstValue("Cache-Control")).hasValue("no-cache");
    String etag = module.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> again = http.send(HttpRequest.newBuilder(rpc.resolve("/explorer/js/app.js")).header("If-None-Match", etag).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).isEqualTo(304);
    for (String missing : List.of("/explorer/nope.js", "/explorer/js/../../pom.xml", "/explorer/assets.txt")) {
      assertThat(http.send(HttpRequest.newBuilder(rpc.resolve(missing)).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
          .as(missing).isEqualTo(404);
    }
  }

  /** Chromium from Debian, installed by the project's own script when missing; its absence fails the test. */
  private static void ensureChromium() throws Exception {
    Process p = new ProcessBuilder("bash", "../scripts/ensure-packages.sh", "chromium").redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(INSTALL_TIMEOUT_SECONDS, TimeUnit.SECONDS) && p.exitValue() == 0)
        .as("scripts/ensure-packages.sh chromium failed; the explorer's browser test needs Debian's chromium:%n%s", output).isTrue();
    assertThat(Files.isExecutable(CHROMIUM)).as("no chromium at %s (set CAIRN_CHROMIUM to another path)", CHROMIUM).isTrue();
  }

  /** Copies the browser test into target/ and runs npm ci unless the same lock file is already installed there. */
  private static void install() throws Exception {
    Files.createDirectories(WORK);
    for (String name : List.of("package.json", "package-lock.json", "explorer-test.mjs")) {
      Files.copy(BROWSER_TEST.resolve(name), WORK.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
    String lockHash = HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(WORK.resolve("package-lock.json"))));
    Path marker = WORK.resolve("node_modules/.cairn-lock-sha256");
    if (Files.exists(marker) && Files.readString(marker).equals(lockHash)) {
      return;
    }
    Process p;
    try {
      p = new ProcessBuilder("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")
          .directory(WORK.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("npm is not installed: the explorer's browser test needs Node 20 and npm", e);
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(INSTALL_TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("npm ci failed for explorer/src/test/browser:\n" + output);
    }
    Files.writeString(marker, lockHash);
  }

  private static void runBrowserTest(String cfg, DevnetProcess node) throws Exception {
    Path log = Path.of("target", "e2e", "explorer-browser.log").toAbsolutePath();
    Files.createDirectories(log.getParent());
    Process test;
    try {
      test = new ProcessBuilder("node", "explorer-test.mjs", cfg).directory(WORK.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new AssertionError("node is not installed: the explorer's browser test needs Node 20", e);
    }
    boolean exited = test.waitFor(BROWSER_TEST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!exited) {
      test.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(exited).as("the browser test did not finish within %d s:%n%s", BROWSER_TEST_TIMEOUT_SECONDS, output).isTrue();
    assertThat(test.exitValue()).as("browser test exit code; output:%n%s%nnode log: %s", output, node.log()).isZero();
    assertThat(output).contains("ok a dropped notarized file is reported with its height",
        "ok a tampered seal shows as not verified", "ok a tampered account answer (balance) shows as not verified",
        "ok validators: a pending vote is shown with its tally verified, an altered one is not",
        "explorer-test: all checks passed");
  }
}
