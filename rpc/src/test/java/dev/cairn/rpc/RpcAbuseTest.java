package dev.cairn.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.rpc.jsonrpc.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The attacks {@code rpc-huge-responses} and {@code ws-cross-origin}, and rate limits per client address, over
 * real HTTP and WebSocket connections: answers larger than the bound get {@link ErrorCode#RESPONSE_TOO_LARGE}
 * (single calls and batches alike, never a cut-off document); a web page's WebSocket is refused unless its
 * origin is allowed; more connections from one address do not buy more calls.
 */
class RpcAbuseTest {
  private static final KeyPair ALICE = KeyPair.fromSeedText("alice");
  private final List<RpcTestServer> servers = new ArrayList<>();
  private final List<WsTestClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(WsTestClient::close);
    servers.forEach(RpcTestServer::close);
  }

  private RpcTestServer server(RpcConfig config) {
    RpcTestServer s = new RpcTestServer(config);
    servers.add(s);
    return s;
  }

  /** A block of 20 record writes: its full-transaction JSON is some kilobytes. */
  private static void fillBlock(RpcTestServer rpc) {
    rpc.finalizeRecordBlock(ALICE, 20, 64);
  }

  private static final String BLOCK_CALL = "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"cairn_getBlockByNumber\",\"params\":[1,true]}";

  @Test
  void anAnswerOverTheBoundIsAClearErrorNotATruncatedDocument() {
    RpcTestServer roomy = server(RpcTestServer.testConfig());
    fillBlock(roomy);
    int blockAnswerBytes = roomy.post(BLOCK_CALL.formatted(1)).body().length();
    assertThat(blockAnswerBytes).isGreaterThan(2048);

    RpcTestServer tight = server(RpcTestServer.testConfig().withResponseLimits(2048, List.of()));
    fillBlock(tight);
    JsonNode answer = tight.call(BLOCK_CALL.formatted(7));
    assertThat(answer.path("id").asInt()).isEqualTo(7);
    assertThat(answer.path("error").path("code").asInt()).isEqualTo(ErrorCode.RESPONSE_TOO_LARGE.code());
    assertThat(answer.path("error").path("data").path("responseBytesMax").asLong()).isEqualTo(2048);
    assertThat(tight.call("cairn_blockNumber", "[]").path("result").asLong()).as("small answers still served").isEqualTo(1);
  }

  @Test
  void aBatchStopsRunningCallsOnceItsAnswerReachesTheBound() throws Exception {
    RpcTestServer roomy = server(RpcTestServer.testConfig());
    fillBlock(roomy);
    int one = roomy.post(BLOCK_CALL.formatted(1)).body().length();

    long bound = 2L * one + 100;
    RpcTestServer tight = server(RpcTestServer.testConfig().withResponseLimits(bound, List.of()));
    fillBlock(tight);
    String batch = "[" + BLOCK_CALL.formatted(1) + "," + BLOCK_CALL.formatted(2) + "," + BLOCK_CALL.formatted(3) + ","
        + BLOCK_CALL.formatted(4) + "]";
    String body = tight.post(batch).body();
    JsonNode answers = RpcTestServer.MAPPER.readTree(body);
    assertThat(answers).hasSize(4);
    assertThat(answers.get(0).has("result")).isTrue();
    assertThat(answers.get(1).has("result")).isTrue();
    assertThat(answers.get(2).path("error").path("code").asInt()).isEqualTo(ErrorCode.RESPONSE_TOO_LARGE.code());
    assertThat(answers.get(3).path("error").path("code").asInt()).isEqualTo(ErrorCode.RESPONSE_TOO_LARGE.code());
    assertThat(answers.get(3).path("id").asInt()).isEqualTo(4);
    assertThat(body.length()).as("the batch's answer (results within the bound, plus short errors)").isLessThan((int) bound + 1024);
  }

  @Test
  void aWebPageCannotOpenAWebSocketUnlessItsOriginIsAllowed() {
    RpcTestServer closed = server(RpcTestServer.testConfig());
    assertThatThrownBy(() -> new WsTestClient(closed.wsUri(), "https://evil.example"))
        .as("a cross-origin page by default").hasStackTraceContaining("403");
    assertThat(closed.server.webSocketOriginsRefused()).isEqualTo(1);
    WsTestClient program = new WsTestClient(closed.wsUri());
    clients.add(program);
    assertThat(program.call("cairn_blockNumber", "[]").path("result").asLong()).as("a client without Origin").isZero();

    RpcTestServer open = server(RpcTestServer.testConfig().withResponseLimits(RpcConfig.RESPONSE_BYTES_MAX_DEFAULT,
        List.of("https://app.example")));
    WsTestClient page = new WsTestClient(open.wsUri(), "https://app.example");
    clients.add(page);
    assertThat(page.call("cairn_blockNumber", "[]").path("result").asLong()).as("an allowed origin").isZero();
    assertThatThrownBy(() -> new WsTestClient(open.wsUri(), "https://evil.example")).hasStackTraceContaining("403");
  }

  @Test
  void moreConnectionsFromOneAddressDoNotBuyMoreCalls() {
    // 1 call/s after a burst of 5, for the address: shared by every connection and by HTTP.
    RpcConfig d = RpcTestServer.testConfig();
    RpcConfig slow = new RpcConfig(d.host(), 0, d.requestBodyBytesMax(), d.batchLengthMax(), d.jsonNestingDepthMax(),
        d.jsonNumberDigitsMax(), 1, 5, d.rateLimitedIpsTrackedMax(), d.wsConnectionsMax(), d.wsSubscriptionsPerConnectionMax(),
        d.wsQueueMessagesMax(), d.wsIdleTimeoutMillis(), d.pendingTransactionsReturnedMax(), d.drainTimeoutMillis(),
        d.corsAllowedOrigins());
    RpcTestServer rpc = server(slow);
    int limited = 0;
    for (int c = 0; c < 4; c++) {
      WsTestClient ws = new WsTestClient(rpc.wsUri());
      clients.add(ws);
      for (int i = 0; i < 3; i++) {
        ws.send("{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"cairn_blockNumber\",\"params\":[]}");
        if (ws.next().path("error").path("code").asInt() == ErrorCode.RATE_LIMITED.code()) limited++;
      }
    }
    assertThat(limited).as("of 12 calls over 4 connections from one address with a burst of 5").isGreaterThanOrEqualTo(6);
    assertThat(rpc.call("cairn_blockNumber", "[]").path("error").path("code").asInt()).as("HTTP from the same address")
        .isEqualTo(ErrorCode.RATE_LIMITED.code());
  }
}
