package dev.cairn.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.rpc.server.HealthRoutes;
import dev.cairn.rpc.server.RpcServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /liveness and /readiness over real HTTP, and what the RpcObserver is told about each call. */
class HealthAndObserverTest {
  private final InMemoryNode node = new InMemoryNode();
  private final AtomicReference<NodeHealth.Facts> facts =
      new AtomicReference<>(new NodeHealth.Facts(true, 0, 7, NodeHealth.Facts.BEHIND_UNKNOWN, Optional.empty()));
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private RpcServer server;
  private int port;

  @BeforeEach
  void start() {
    server = new RpcServer(RpcTestServer.testConfig(), dev.cairn.rpc.server.RpcSecurity.none(), node, node, node, node,
        java.util.Optional.empty(), (method, code, nanos) -> calls.add(method + ":" + code + ":" + (nanos >= 0)), facts::get);
    port = server.start();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return RpcTestServer.MAPPER.readTree(response.body());
  }

  @Test
  void readinessGoesFrom503To200AsPeersConnectAndReportTheirHeads() throws Exception {
    HttpResponse<String> alone = get("/readiness");
    assertThat(alone.statusCode()).isEqualTo(503);
    assertThat(json(alone).get("status").asText()).isEqualTo("DOWN");
    assertThat(json(alone).get("reason").asText()).isEqualTo("0 peers, fewer than minPeers 1");
    assertThat(json(alone).get("blocksBehind").isNull()).isTrue();

    facts.set(new NodeHealth.Facts(true, 2, 7, NodeHealth.Facts.BEHIND_UNKNOWN, Optional.empty()));
    assertThat(json(get("/readiness")).get("reason").asText()).isEqualTo("no peer has reported its head yet");

    facts.set(new NodeHealth.Facts(true, 2, 7, 40, Optional.empty()));
    HttpResponse<String> syncing = get("/readiness");
    assertThat(syncing.statusCode()).isEqualTo(503);
    assertThat(json(syncing).get("reason").asText()).isEqualTo("40 blocks behind, more than maxBlocksBehind 2");
    assertThat(get("/readiness?maxBlocksBehind=40").statusCode()).as("the caller's bound").isEqualTo(200);

    facts.set(new NodeHealth.Facts(true, 2, 47, 1, Optional.empty()));
    HttpResponse<String> ready = get("/readiness");
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonNode body = json(ready);
    assertThat(body.get("status").asText()).isEqualTo("UP");
    assertThat(body.get("peers").asInt()).isEqualTo(2);
    assertThat(body.get("height").asLong()).isEqualTo(47);
    assertThat(body.get("blocksBehind").asLong()).isEqualTo(1);
    assertThat(body.get("minPeers").asLong()).isEqualTo(HealthRoutes.MIN_PEERS_DEFAULT);
    assertThat(body.get("maxBlocksBehind").asLong()).isEqualTo(HealthRoutes.MAX_BLOCKS_BEHIND_DEFAULT);
    assertThat(get("/readiness?minPeers=3").statusCode()).isEqualTo(503);
    assertThat(get("/readiness?minPeers=2&maxBlocksBehind=0").statusCode()).isEqualTo(503);
    assertThat(get("/readiness?minPeers=2&maxBlocksBehind=1").statusCode()).isEqualTo(200);
  }

  @Test
  void aNodeWithoutP2pIsReadyAloneAndLiveUntilConsensusHalts() throws Exception {
    facts.set(new NodeHealth.Facts(false, 0, 3, 0, Optional.empty()));
    assertThat(get("/readiness?minPeers=5").statusCode()).isEqualTo(200);
    assertThat(get("/liveness").statusCode()).isEqualTo(200);
    assertThat(json(get("/liveness")).get("status").asText()).isEqualTo("UP");

    facts.set(new NodeHealth.Facts(false, 0, 3, 0, Optional.of("persist failed")));
    HttpResponse<String> dead = get("/liveness");
    assertThat(dead.statusCode()).isEqualTo(503);
    assertThat(json(dead).get("reason").asText()).isEqualTo("consensus halted: persist failed");
    assertThat(get("/readiness").statusCode()).isEqualTo(503);
  }

  @Test
  void badParametersAre400WithTheReason() throws Exception {
    for (String query : List.of("minPeers=-1", "minPeers=abc", "minPeers=", "minPeers=10001", "maxBlocksBehind=1e3",
        "maxBlocksBehind=99999999999", "maxBlocksBehind=1000000001", "minPeers=1&minPeers=2")) {
      HttpResponse<String> response = get("/readiness?" + query);
      assertThat(response.statusCode()).as(query).isEqualTo(400);
      String name = query.substring(0, query.indexOf('='));
      assertThat(json(response).get("error").asText()).as(query).startsWith(name);
    }
  }

  @Test
  void theObserverHearsEveryCallWithItsMethodAndCode() {
    post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cairn_chainId\",\"params\":[]}");
    post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"cairn_noSuchThing\",\"params\":[]}");
    post("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"cairn_getBlockByHash\",\"params\":[\"x\"]}");
    post("not json");
    assertThat(calls).containsExactly("cairn_chainId:0:true", "unknown:-32601:true",
        "cairn_getBlockByHash:-32602:true", "none:-32700:true");
  }

  private void post(String body) {
    try {
      http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
