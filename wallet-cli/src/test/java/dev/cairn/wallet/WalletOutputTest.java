package dev.cairn.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the wallet prints where, against a stub node that answers fixed JSON: help exits 0 even on commands
 * with required options, ids carry 0x, --wait draws no progress line into captured output, and {@code wallet
 * tx} of a failed transaction exits 1 with plain text (or one JSON object with --json).
 */
class WalletOutputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TX_ID = "0x" + "ab".repeat(32);

  /** One keystore for all tests: importing and decrypting cost a scrypt run each (seconds on a loaded machine). */
  @TempDir static Path wallet;
  @TempDir Path dir;
  private HttpServer node;
  private final AtomicInteger receiptCalls = new AtomicInteger();
  private volatile String receiptCode = "0";

  record Run(int exitCode, String out, String err) {}

  @BeforeAll
  static void importKey() throws Exception {
    KeyFiles.writeNodeKey(wallet.resolve("seed.key"), KeyPair.fromSeedText("wallet-output-test"));
    Files.writeString(wallet.resolve("password.txt"), "s3cret\n");
    Run imported = run(globals("import", "--key-file", wallet.resolve("seed.key").toString()));
    assertThat(imported.exitCode()).as(imported.err()).isZero();
  }

  @BeforeEach
  void startStubNode() throws Exception {
    node = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    node.createContext("/", exchange -> {
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      String result = answers().getOrDefault(request.get("method").asText(), "null");
      byte[] body = ("{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":" + result + "}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    node.start();
  }

  @AfterEach
  void stopStubNode() {
    node.stop(0);
  }

  private Map<String, String> answers() {
    String receipt = "{\"txId\":\"" + TX_ID + "\",\"status\":\"" + ("0".equals(receiptCode) ? "success" : "failed")
        + "\",\"code\":" + receiptCode + ",\"codeName\":\"" + ("0".equals(receiptCode) ? "ok" : "insufficient_balance")
        + "\",\"description\":\"d\",\"blockHeight\":7,\"blockHash\":\"0x" + "cd".repeat(32) + "\",\"index\":0}";
    return Map.of(
        "cairn_sendTransaction", "\"" + TX_ID + "\"",
        "cairn_getTransaction", "{\"id\":\"" + TX_ID + "\",\"chainId\":\"c\",\"from\":\"cairn1x\",\"nonce\":4,"
            + "\"kind\":\"transfer\",\"payload\":{\"to\":\"cairn1y\",\"amount\":\"250\"},\"status\":\"final\"}",
        // The first poll finds it pending, so a --wait goes through at least one progress step.
        "cairn_getReceipt", receiptCalls.getAndIncrement() == 0 ? "null" : receipt);
  }

  private static Run run(String... args) {
    var cli = WalletCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private String rpc() {
    return "http://127.0.0.1:" + node.getAddress().getPort();
  }

  @Test
  void helpExitsZeroEvenWhereOptionsAreRequired() {
    for (String[] args : new String[][] {{"sign", "--help"}, {"transfer", "--help"}, {"sign", "-h"}, {"record", "put", "--help"}, {"sign", "put", "--help"}}) {
      Run help = run(args);
      assertThat(help.exitCode()).as(String.join(" ", args) + ": " + help.err()).isZero();
      assertThat(help.out()).contains("Usage: wallet");
    }
  }

  @Test
  void offlineSigningWithoutChainIdOrOutSaysSo() {
    Run missing = run(globals("sign", "--out", dir.resolve("x.hex").toString(), "transfer",
        "--to", KeyPair.fromSeedText("r").address().toText(), "--amount", "1", "--nonce", "0"));
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("offline signing needs --chain-id ID and --out FILE");
  }

  @Test
  void offlineSigningPrintsTheIdWith0x() {
    Run sign = signed(dir.resolve("tx.hex"));
    assertThat(sign.exitCode()).as(sign.err()).isZero();
    assertThat(sign.out()).matches("(?s)signed 0x[0-9a-f]{64} -> .*");
  }

  @Test
  void waitDrawsNoProgressLineIntoCapturedOutput() throws Exception {
    Path file = dir.resolve("tx.hex");
    signed(file);
    Run send = run("--rpc", rpc(), "send", file.toString(), "--wait");
    assertThat(send.exitCode()).as(send.err()).isZero();
    assertThat(send.out()).startsWith("final: " + TX_ID);
    assertThat(send.out() + send.err()).doesNotContain("\r").doesNotContain("waiting for finality");
  }

  @Test
  void failedTransactionExitsOneWithTextOrOneJsonObject() throws Exception {
    receiptCode = "2";
    receiptCalls.set(1);
    Run text = run("--rpc", rpc(), "tx", TX_ID);
    assertThat(text.exitCode()).isEqualTo(1);
    assertThat(text.out()).startsWith("transaction " + TX_ID).contains("final but FAILED").doesNotContain("{");
    assertThat(text.err()).startsWith("error: transaction " + TX_ID + " was included but failed: insufficient_balance");

    receiptCalls.set(1);
    Run json = run("--rpc", rpc(), "--json", "tx", TX_ID);
    assertThat(json.exitCode()).isEqualTo(1);
    JsonNode printed = JSON.readTree(json.out());
    assertThat(printed.path("receipt").path("code").asInt()).isEqualTo(2);
    assertThat(json.out().strip().lines().count()).isEqualTo(1);

    receiptCode = "0";
    receiptCalls.set(1);
    assertThat(run("--rpc", rpc(), "tx", TX_ID).exitCode()).isZero();
  }

  private Run signed(Path out) {
    return run(globals("sign", "--chain-id", "c", "--out", out.toString(),
        "transfer", "--to", KeyPair.fromSeedText("r").address().toText(), "--amount", "1", "--nonce", "0"));
  }

  private static String[] globals(String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "--wallet-dir";
    all[1] = wallet.resolve("wallet").toString();
    all[2] = "--password-file";
    all[3] = wallet.resolve("password.txt").toString();
    System.arraycopy(args, 0, all, 4, args.length);
    return all;
  }
}
