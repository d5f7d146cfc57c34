package dev.cairn.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket JSON-RPC test client on the JDK's WebSocket: collects every message; optionally stops reading. */
final class WsTestClient implements AutoCloseable {
  private final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  final CompletableFuture<String> closeReason = new CompletableFuture<>();
  private final WebSocket socket;
  private volatile boolean reading = true;
  private int nextId = 1;

  WsTestClient(URI uri) {
    socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .buildAsync(uri, new Listener()).join();
  }

  /** Connects as a browser page of {@code origin} would (with its Origin header). */
  WsTestClient(URI uri, String origin) {
    socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .header("Origin", origin).buildAsync(uri, new Listener()).join();
  }

  /** Connects with these upgrade headers (e.g. Authorization) through {@code client} (e.g. one that trusts a test CA). */
  WsTestClient(HttpClient client, URI uri, java.util.Map<String, String> headers) {
    WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    headers.forEach(builder::header);
    socket = builder.buildAsync(uri, new Listener()).join();
  }

  /** After this, the client takes no further messages off the socket: the server's writes back up. */
  void stopReading() {
    reading = false;
  }

  /** Sends a request and returns the next message, which must be its response. */
  JsonNode call(String method, String paramsJson) {
    int id = nextId++;
    send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + paramsJson + "}");
    JsonNode response = next();
    if (response.path("id").asInt(-1) != id) {
      throw new AssertionError("expected the response to id " + id + ", got " + response);
    }
    return response;
  }

  void send(String text) {
    socket.sendText(text, true).join();
  }

  JsonNode next() {
    try {
      JsonNode message = received.poll(10, TimeUnit.SECONDS);
      if (message == null) {
        throw new AssertionError("no message within 10 s");
      }
      return message;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  int pending() {
    return received.size();
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          received.add(RpcTestServer.MAPPER.readTree(partial.toString()));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        partial.setLength(0);
      }
      if (reading) {
        webSocket.request(1);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeCode.complete(statusCode);
      closeReason.complete(reason);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closeCode.complete(-1);
      closeReason.complete(String.valueOf(error));
    }
  }
}
