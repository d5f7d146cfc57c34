package dev.cairn.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.rpc.server.RpcServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pages served beside JSON-RPC on the same listener (the node's explorer): GET routes added before start, and
 * WebSocket handshakes from those pages' own origin, which stay refused unless the server is told to admit them.
 */
class ServedPagesTest {
  private final List<RpcServer> servers = new ArrayList<>();
  private final List<WsTestClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(WsTestClient::close);
    servers.forEach(RpcServer::stop);
  }

  private int start(RpcServer server) {
    servers.add(server);
    return server.start();
  }

  private static RpcServer server() {
    InMemoryNode node = new InMemoryNode();
    return new RpcServer(RpcTestServer.testConfig(), node, node, node, node);
  }

  @Test
  void aGetRouteIsServedBesideJsonRpc() throws Exception {
    RpcServer server = server();
    server.addGetRoute("/pages/{name}", ctx -> ctx.contentType("text/plain").result("page " + ctx.pathParam("name")));
    int port = start(server);
    HttpResponse<String> page = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/pages/one")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).isEqualTo("page one");
    assertThatThrownBy(() -> server.addGetRoute("/late", ctx -> ctx.result("x")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aPageOfTheServersOwnOriginOpensTheWebSocketOnlyWhenAllowed() {
    int closedPort = start(server());
    URI closedWs = URI.create("ws://127.0.0.1:" + closedPort + RpcConfig.WS_PATH);
    assertThatThrownBy(() -> new WsTestClient(closedWs, "http://127.0.0.1:" + closedPort))
        .as("same origin, not admitted by default").hasStackTraceContaining("403");

    RpcServer open = server();
    open.allowSameOriginWebSockets();
    int port = start(open);
    URI ws = URI.create("ws://127.0.0.1:" + port + RpcConfig.WS_PATH);
    WsTestClient page = new WsTestClient(ws, "http://127.0.0.1:" + port);
    clients.add(page);
    assertThat(page.call("cairn_blockNumber", "[]").path("result").asLong()).as("the server's own page").isZero();
    assertThatThrownBy(() -> new WsTestClient(ws, "http://127.0.0.1:" + (port == 1 ? 2 : port - 1)))
        .as("another port is another origin").hasStackTraceContaining("403");
    assertThatThrownBy(() -> new WsTestClient(ws, "https://evil.example")).hasStackTraceContaining("403");
    assertThat(open.webSocketOriginsRefused()).isEqualTo(2);
  }
}
