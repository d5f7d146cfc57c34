package dev.cairn.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** JSON-RPC 2.0 conformance over real HTTP: framing, ids, batches, notifications, every error code, limits. */
class JsonRpcConformanceTest {
  private static RpcTestServer rpc;

  @BeforeAll
  static void start() {
    rpc = new RpcTestServer(RpcTestServer.testConfig());
  }

  @AfterAll
  static void stop() {
    rpc.close();
  }

  private static void assertError(JsonNode response, int code) {
    assertThat(response.path("jsonrpc").asText()).isEqualTo("2.0");
    assertThat(response.has("result")).as("no result next to an error: %s", response).isFalse();
    assertThat(response.path("error").path("code").asInt()).as("%s", response).isEqualTo(code);
    assertThat(response.path("error").path("message").isTextual()).isTrue();
  }

  @Test
  void answersASingleCallWithResultAndEchoedId() {
    HttpResponse<String> response = rpc.post("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"cairn_chainId\"}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode body = rpc.call("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"cairn_chainId\"}");
    assertThat(body.path("result").asText()).isEqualTo(InMemoryNode.CHAIN_ID);
    assertThat(body.path("id").asInt()).isEqualTo(7);
    assertThat(body.has("error")).isFalse();
  }

  @Test
  void echoesIdsOfEveryAllowedTypeExactly() {
    for (String id : new String[] {"\"abc\"", "\"\"", "42", "-7", "0", "1.5", "12345678901234567890123", "null"}) {
      HttpResponse<String> response = rpc.post("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"cairn_chainId\"}");
      assertThat(response.body()).as("id %s", id).contains("\"id\":" + id);
      assertThat(response.body()).contains("\"result\":\"" + InMemoryNode.CHAIN_ID + "\"");
    }
  }

  @Test
  void parseErrorHasNullId() {
    JsonNode response = rpc.call("{\"jsonrpc\":\"2.0\",\"method\":\"cairn_chainId\",\"id\":1");
    assertError(response, -32700);
    assertThat(response.get("id").isNull()).isTrue();
    assertError(rpc.call(""), -32700);
    assertError(rpc.call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cairn_chainId\"} trailing"), -32700);
    assertError(rpc.call("{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"cairn_chainId\"}"), -32700);
  }

  @Test
  void invalidRequests() {
    JsonNode wrongVersion = rpc.call("{\"jsonrpc\":\"1.0\",\"id\":3,\"method\":\"cairn_chainId\"}");
    assertError(wrongVersion, -32600);
    assertThat(wrongVersion.get("id").asInt()).isEqualTo(3);
    assertError(rpc.call("{\"id\":3,\"method\":\"cairn_chainId\"}"), -32600);
    assertError(rpc.call("{\"jsonrpc\":\"2.0\",\"id\":3}"), -32600);
    assertError(rpc.call("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":5}"), -32600);
    assertError(rpc.call("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"cairn_chainId\",\"params\":\"x\"}"), -32600);
    JsonNode badId = rpc.call("{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"cairn_chainId\"}");
    assertError(badId, -32600);
    assertThat(badId.get("id").isNull()).isTrue();
    assertError(rpc.call("{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"cairn_chainId\"}"), -32600);
    assertError(rpc.call("\"just a string\""), -32600);
  }

  @Test
  void methodNotFound() {
    JsonNode response = rpc.call("{\"jsonrpc\":\"2.0\",\"id\":\"m\",\"method\":\"cairn_noSuchMethod\"}");
    assertError(response, -32601);
    assertThat(response.path("error").path("message").asText()).contains("cairn_noSuchMethod");
    assertThat(response.path("id").asText()).isEqualTo("m");
    assertError(rpc.call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"rpc.describe\"}"), -32601);
  }

  @Test
  void invalidParamsNameTheParam() {
    JsonNode badAddress = rpc.call("cairn_getAccount", "[\"cairn1notanaddress\"]");
    assertError(badAddress, -32602);
    assertThat(badAddress.path("error").path("message").asText()).contains("address");
    assertThat(badAddress.path("error").path("data").path("param").asText()).isEqualTo("address");

    JsonNode badHex = rpc.call("cairn_getTransaction", "[\"0xzz\"]");
    assertError(badHex, -32602);
    assertThat(badHex.path("error").path("message").asText()).contains("txId");
    assertError(rpc.call("cairn_getTransaction", "[\"0x1234\"]"), -32602);
    assertError(rpc.call("cairn_getTransaction", "[\"abcd\"]"), -32602);
    assertError(rpc.call("cairn_getTransaction", "[12]"), -32602);
    assertError(rpc.call("cairn_getTransaction", "[]"), -32602);
    assertError(rpc.call("cairn_sendTransaction", "[\"0x123\"]"), -32602);
    assertError(rpc.call("cairn_sendTransaction", "[{\"not\":\"hex\"}]"), -32602);
    assertError(rpc.call("cairn_getBlockByNumber", "[-1]"), -32602);
    assertError(rpc.call("cairn_getBlockByNumber", "[\"pending\"]"), -32602);
    assertError(rpc.call("cairn_getBlockByNumber", "[1.5]"), -32602);
    assertError(rpc.call("cairn_getBlockByNumber", "[0, \"yes\"]"), -32602);
    assertError(rpc.call("cairn_chainId", "[1]"), -32602);
    JsonNode unknownName = rpc.call("cairn_getAccount", "{\"adress\":\"x\"}");
    assertError(unknownName, -32602);
    assertThat(unknownName.path("error").path("message").asText()).contains("adress");
    assertError(rpc.call("cairn_getRecord", "[\"" + KeyPair.fromSeedText("x").address() + "\", \"\"]"), -32602);
  }

  @Test
  void internalErrorLeaksNothing() {
    rpc.node.failReads = true;
    try {
      JsonNode response = rpc.call("cairn_getAccount", "[\"" + KeyPair.fromSeedText("x").address() + "\"]");
      assertError(response, -32603);
      String text = response.toString();
      assertThat(text).doesNotContain("Exception").doesNotContain("/var/lib").doesNotContain("at dev.cairn");
      assertThat(response.path("error").path("message").asText()).isEqualTo("internal error");
    } finally {
      rpc.node.failReads = false;
    }
  }

  @Test
  void mixedBatchAnswersEachRequestButNoNotification() {
    String batch = "["
        + "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cairn_chainId\"},"
        + "{\"jsonrpc\":\"2.0\",\"method\":\"cairn_chainId\"},"
        + "{\"foo\":\"boo\"},"
        + "5,"
        + "{\"jsonrpc\":\"2.0\",\"id\":\"q\",\"method\":\"cairn_nope\"}"
        + "]";
    JsonNode response = rpc.call(batch);
    assertThat(response.isArray()).isTrue();
    assertThat(response).hasSize(4);
    assertThat(response.get(0).path("result").asText()).isEqualTo(InMemoryNode.CHAIN_ID);
    assertThat(response.get(0).path("id").asInt()).isEqualTo(1);
    assertError(response.get(1), -32600);
    assertError(response.get(2), -32600);
    assertError(response.get(3), -32601);
    assertThat(response.get(3).path("id").asText()).isEqualTo("q");
  }

  @Test
  void emptyBatchIsOneInvalidRequest() {
    JsonNode response = rpc.call("[]");
    assertThat(response.isObject()).isTrue();
    assertError(response, -32600);
    assertThat(response.get("id").isNull()).isTrue();
  }

  @Test
  void batchOfNotificationsGetsNoContent() {
    HttpResponse<String> response = rpc.post(
        "[{\"jsonrpc\":\"2.0\",\"method\":\"cairn_chainId\"},{\"jsonrpc\":\"2.0\",\"method\":\"cairn_nope\"}]");
    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void batchOverTheLengthLimitIsRefusedWhole() {
    StringBuilder batch = new StringBuilder("[");
    for (int i = 0; i < 6; i++) {
      batch.append(i == 0 ? "" : ",").append("{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"cairn_chainId\"}");
    }
    JsonNode response = rpc.call(batch.append("]").toString());
    assertThat(response.isObject()).isTrue();
    assertError(response, -32041);
  }

  @Test
  void notificationIsExecutedButNotAnswered() {
    KeyPair sender = KeyPair.fromSeedText("notifier");
    rpc.node.setAccount(sender.address(), new Account(100, 0, Set.of(Role.MEMBER)));
    Transaction tx = Transaction.sign(InMemoryNode.CHAIN_ID, sender, 0, new Payload.RecordPut("k", Bytes.fromHex("01")));
    HttpResponse<String> response = rpc.post("{\"jsonrpc\":\"2.0\",\"method\":\"cairn_sendTransaction\",\"params\":[\"0x"
        + TransactionCodec.encode(tx).toHex() + "\"]}");
    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.body()).isEmpty();
    assertThat(rpc.node.pendingTransaction(tx.id())).isPresent();
    rpc.node.finalizeBlock(rpc.node.takePending(), rpc.node.takePending().stream().map(t -> dev.cairn.ledger.model.ReceiptCode.OK).toList());
  }

  @Test
  void oversizeBodyIs413WithJsonRpcError() throws Exception {
    String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cairn_chainId\",\"params\":[\"" + "a".repeat(20_000) + "\"]}";
    HttpResponse<String> response = rpc.post(big);
    assertThat(response.statusCode()).isEqualTo(413);
    assertError(RpcTestServer.MAPPER.readTree(response.body()), -32042);

    // Without a Content-Length (chunked), the limit still holds while reading.
    HttpResponse<String> chunked = rpc.send(HttpRequest.newBuilder(rpc.uri())
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes())))
        .build());
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertError(RpcTestServer.MAPPER.readTree(chunked.body()), -32042);
    assertThat(rpc.call("cairn_blockNumber", "[]").has("result")).isTrue();
  }

  @Test
  void deepNestingAndHugeNumbersAreRefusedNotFatal() {
    JsonNode deep = rpc.call("[".repeat(5_000) + "]".repeat(5_000));
    assertError(deep, -32043);
    JsonNode deepParams = rpc.call("cairn_chainId", "[".repeat(100) + "]".repeat(100));
    assertError(deepParams, -32043);
    JsonNode hugeId = rpc.call("{\"jsonrpc\":\"2.0\",\"id\":" + "9".repeat(5_000) + ",\"method\":\"cairn_chainId\"}");
    assertError(hugeId, -32043);
    JsonNode hugeExponent = rpc.call("cairn_getBlockByNumber", "[1e999999999]");
    assertError(hugeExponent, -32602);
    JsonNode bigHeight = rpc.call("cairn_getBlockByNumber", "[99999999999999999999999]");
    assertError(bigHeight, -32602);
    assertThat(rpc.call("cairn_blockNumber", "[]").has("result")).isTrue();
  }

  @Test
  void subscribeOverHttpPointsToWebSocket() {
    JsonNode response = rpc.call("cairn_subscribe", "[\"newHeads\"]");
    assertError(response, -32045);
    assertThat(response.path("error").path("message").asText()).contains(RpcConfig.WS_PATH);
  }

  @Test
  void corsIsOffByDefault() {
    HttpResponse<String> response = rpc.send(HttpRequest.newBuilder(rpc.uri())
        .header("Origin", "https://wallet.example")
        .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cairn_chainId\"}"))
        .build());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }
}
