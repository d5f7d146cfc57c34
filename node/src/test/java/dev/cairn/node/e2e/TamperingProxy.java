package dev.cairn.node.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lying node for the explorer's browser test: an HTTP proxy in front of a real node that passes the
 * explorer's files through and alters JSON-RPC answers the way a compromised or buggy node would: an
 * account's proven value gets one more unit of balance, and the first seal of every block's certificate gets
 * a flipped signature byte. It serves no WebSocket (the explorer then polls). Counts what it altered.
 */
final class TamperingProxy implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BODY_BYTES_MAX = 1 << 20;

  private final HttpServer server;
  private final URI node;
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicInteger tampered = new AtomicInteger();

  private TamperingProxy(HttpServer server, URI node) {
    this.server = server;
    this.node = node;
  }

  static TamperingProxy start(URI node) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    TamperingProxy proxy = new TamperingProxy(server, node);
    server.createContext("/", proxy::handle);
    server.start();
    return proxy;
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  int tamperedAnswers() {
    return tampered.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI target = node.resolve(exchange.getRequestURI().getRawPath());
      HttpResponse<byte[]> answer;
      byte[] body;
      if (exchange.getRequestMethod().equals("POST")) {
        byte[] request = exchange.getRequestBody().readNBytes(BODY_BYTES_MAX);
        answer = http.send(HttpRequest.newBuilder(target).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(), HttpResponse.BodyHandlers.ofByteArray());
        body = tamper(request, answer.body());
      } else {
        answer = http.send(HttpRequest.newBuilder(target).build(), HttpResponse.BodyHandlers.ofByteArray());
        body = answer.body();
      }
      answer.headers().firstValue("Content-Type").ifPresent(t -> exchange.getResponseHeaders().set("Content-Type", t));
      answer.headers().firstValue("Location").ifPresent(l -> exchange.getResponseHeaders().set("Location", l));
      exchange.sendResponseHeaders(answer.statusCode(), body.length == 0 ? -1 : body.length);
      exchange.getResponseBody().write(body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private byte[] tamper(byte[] request, byte[] response) throws IOException {
    if (response.length == 0) {
      return response;
    }
    JsonNode asked = JSON.readTree(request);
    Map<String, String> methods = new HashMap<>();
    for (JsonNode call : asked.isArray() ? asked : JSON.createArrayNode().add(asked)) {
      methods.put(call.path("id").toString(), call.path("method").asText());
    }
    JsonNode answered = JSON.readTree(response);
    for (JsonNode answer : answered.isArray() ? (ArrayNode) answered : JSON.createArrayNode().add(answered)) {
      String method = methods.get(answer.path("id").toString());
      JsonNode result = answer.path("result");
      if ("cairn_getProof".equals(method) && "account".equals(result.path("kind").asText()) && result.path("value").isTextual()) {
        byte[] value = HexFormat.of().parseHex(result.path("value").asText().substring(2));
        value[9]++; // the balance's lowest byte: one unit more than the state holds
        ((ObjectNode) result).put("value", "0x" + HexFormat.of().formatHex(value));
        tampered.incrementAndGet();
      } else if (method != null && method.startsWith("cairn_getBlockBy") && result.path("certificate").path("seals").size() > 0) {
        ObjectNode seal = (ObjectNode) result.path("certificate").path("seals").get(0);
        byte[] signature = HexFormat.of().parseHex(seal.path("signature").asText().substring(2));
        signature[0] ^= 0x01;
        seal.put("signature", "0x" + HexFormat.of().formatHex(signature));
        tampered.incrementAndGet();
      }
    }
    return JSON.writeValueAsBytes(answered);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
