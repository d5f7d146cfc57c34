package dev.cairn.rpc.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small typed JSON-RPC 2.0 client over HTTP for the wallet CLI and tests. {@link #call} returns the
 * {@code result} or throws {@link RpcError} carrying the server's code and message; transport problems throw
 * {@link RpcTransportException}. Thread-safe.
 */
public final class RpcClient {
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private final URI endpoint;
  private final Duration timeout;
  private final HttpClient http;
  private final AtomicLong nextId = new AtomicLong(1);

  public RpcClient(URI endpoint, Duration timeout) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** Calls {@code method} with positional params (each converted to JSON by Jackson). */
  public JsonNode call(String method, Object... params) {
    ArrayNode array = MAPPER.createArrayNode();
    for (Object p : params) {
      array.add(p instanceof JsonNode node ? node : MAPPER.valueToTree(p));
    }
    return call(method, (JsonNode) array);
  }

  /** Calls {@code method} with params given as a JSON array or object. */
  public JsonNode call(String method, JsonNode params) {
    long id = nextId.getAndIncrement();
    ObjectNode request = MAPPER.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
    request.set("params", params);
    JsonNode response = post(request);
    if (!response.isObject() || !"2.0".equals(response.path("jsonrpc").asText())) {
      throw new RpcTransportException("not a JSON-RPC 2.0 response: " + abbreviate(response), null);
    }
    JsonNode error = response.get("error");
    if (error != null && error.isObject()) {
      throw new RpcError(error.path("code").asInt(), error.path("message").asText(), error.get("data"));
    }
    if (!response.has("result")) {
      throw new RpcTransportException("response has neither result nor error", null);
    }
    if (response.path("id").asLong(-1) != id) {
      throw new RpcTransportException("response id " + response.get("id") + " does not match request id " + id, null);
    }
    return response.get("result");
  }

  private JsonNode post(JsonNode request) {
    HttpResponse<String> response;
    try {
      HttpRequest http = HttpRequest.newBuilder(endpoint)
          .timeout(timeout)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(request)))
          .build();
      response = this.http.send(http, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new RpcTransportException("cannot reach " + endpoint + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RpcTransportException("interrupted calling " + endpoint, e);
    }
    try {
      // Error statuses (413, 429, 503) still carry a JSON-RPC error object worth surfacing as RpcError.
      return MAPPER.readTree(response.body());
    } catch (JsonProcessingException e) {
      throw new RpcTransportException("HTTP " + response.statusCode() + " with a body that is not JSON", e);
    }
  }

  private static String abbreviate(JsonNode node) {
    String text = String.valueOf(node);
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
