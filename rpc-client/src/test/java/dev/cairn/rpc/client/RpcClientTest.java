package dev.cairn.rpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.ledger.crypto.KeyPair;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a scripted HTTP server: what it sends, and what it makes of good, bad and oversized answers. */
class RpcClientTest {
  private HttpServer server;
  private final AtomicReference<JsonNode> lastRequest = new AtomicReference<>();
  private volatile Function<JsonNode, String> answer = request -> "{}";
  private volatile long delayMillis;
  private RpcClient client;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      JsonNode request = RpcClient.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
      lastRequest.set(request);
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] body = answer.apply(request).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      } catch (IOException clientGone) {
        // the client stopped reading (bound or timeout): nothing to do
      }
    });
    server.start();
    client = new RpcClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), Duration.ofSeconds(5), 4096);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static String result(JsonNode request, String resultJson) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":" + resultJson + "}";
  }

  @Test
  void typedCallsSendTheMethodAndParamsAndReadTheResult() {
    answer = r -> result(r, "{\"address\":\"a\",\"balance\":\"18446744073709551615\",\"nonce\":7,\"roles\":[\"member\"]}");
    KeyPair alice = KeyPair.fromSeedText("alice");
    AccountInfo account = client.getAccount(alice.address());
    assertThat(lastRequest.get().get("method").asText()).isEqualTo("cairn_getAccount");
    assertThat(lastRequest.get().get("params").get(0).asText()).isEqualTo(alice.address().toText());
    assertThat(lastRequest.get().get("jsonrpc").asText()).isEqualTo("2.0");
    assertThat(account.balance()).as("u64 max").isEqualTo(-1L);
    assertThat(account.nonce()).isEqualTo(7);
    assertThat(account.nextNonce()).isEqualTo(7);
    assertThat(account.roles()).containsExactly("member");

    answer = r -> result(r, "null");
    assertThat(client.getReceipt("0x01")).isEmpty();
    answer = r -> result(r, "12");
    assertThat(client.blockNumber()).isEqualTo(12);
  }

  @Test
  void anErrorObjectIsAnRpcErrorWithCodeAndMessage() {
    answer = r -> "{\"jsonrpc\":\"2.0\",\"id\":" + r.get("id") + ",\"error\":{\"code\":-32004,\"message\":\"nonce too low\","
        + "\"data\":{\"expected\":3}}}";
    assertThatThrownBy(() -> client.sendTransaction(dev.cairn.ledger.bytes.Bytes.wrap(new byte[] {1, 2})))
        .isInstanceOfSatisfying(RpcError.class, e -> {
          assertThat(e.code()).isEqualTo(-32004);
          assertThat(e.getMessage()).isEqualTo("nonce too low");
          assertThat(e.data().get("expected").asInt()).isEqualTo(3);
        });
  }

  @Test
  void aBatchAnsweredOutOfOrderComesBackInTheOrderAsked() {
    answer = r -> {
      List<String> items = new ArrayList<>();
      for (JsonNode call : r) {
        String raw = call.get("params").get(0).asText();
        items.add(raw.equals("0x02")
            ? "{\"jsonrpc\":\"2.0\",\"id\":" + call.get("id") + ",\"error\":{\"code\":-32002,\"message\":\"bad signature\"}}"
            : result(call, "\"id-" + raw + "\""));
      }
      Collections.reverse(items);
      return "[" + String.join(",", items) + "]";
    };
    List<RpcAnswer> answers = client.sendTransactions(List.of("0x01", "0x02", "0x03"));
    assertThat(lastRequest.get()).isInstanceOf(ArrayNode.class).hasSize(3);
    assertThat(answers.get(0).resultOrThrow().asText()).isEqualTo("id-0x01");
    assertThat(answers.get(1)).isInstanceOfSatisfying(RpcAnswer.Failure.class, f -> assertThat(f.error().code()).isEqualTo(-32002));
    assertThat(answers.get(2).resultOrThrow().asText()).isEqualTo("id-0x03");
  }

  @Test
  void aBatchRefusedAsAWholeOrAnsweredInPartFails() {
    answer = r -> "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32005,\"message\":\"rate limited\"}}";
    assertThatThrownBy(() -> client.sendTransactions(List.of("0x01", "0x02")))
        .isInstanceOfSatisfying(RpcError.class, e -> assertThat(e.code()).isEqualTo(-32005));
    answer = r -> "[" + result(r.get(0), "\"x\"") + "]";
    assertThatThrownBy(() -> client.sendTransactions(List.of("0x01", "0x02")))
        .isInstanceOf(RpcTransportException.class).hasMessageContaining("lacks call 1");
  }

  @Test
  void anAnswerOverTheBoundIsRefused() {
    answer = r -> result(r, "\"" + "a".repeat(5000) + "\"");
    assertThatThrownBy(() -> client.chainId())
        .isInstanceOf(RpcTransportException.class).hasMessageContaining("larger than 4096 bytes");
  }

  @Test
  void aSlowNodeTimesOut() {
    RpcClient impatient = new RpcClient(client.endpoint(), Duration.ofMillis(300));
    delayMillis = 2_000;
    answer = r -> result(r, "1");
    long start = System.nanoTime();
    assertThatThrownBy(impatient::blockNumber)
        .isInstanceOf(RpcTransportException.class).hasMessageContaining("did not answer within 300 ms");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_900);
  }

  @Test
  void aClosedPortIsNamedInTheMessage() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    RpcClient nowhere = new RpcClient(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(2));
    assertThatThrownBy(nowhere::chainId).isInstanceOf(RpcTransportException.class)
        .hasMessageStartingWith("cannot reach the node at http://127.0.0.1:" + port);
  }

  @Test
  void answersThatAreNotJsonRpcAreTransportFailures() {
    answer = r -> "{\"id\":" + r.get("id") + ",\"result\":1}";
    assertThatThrownBy(() -> client.blockNumber()).isInstanceOf(RpcTransportException.class);
    answer = r -> "<html>busy</html>";
    assertThatThrownBy(() -> client.blockNumber()).isInstanceOf(RpcTransportException.class).hasMessageContaining("not JSON");
    answer = r -> result(r, "{\"headHeight\":3}");
    assertThatThrownBy(() -> client.nodeInfo()).isInstanceOf(RpcTransportException.class).hasMessageContaining("peerCount");
  }
}
