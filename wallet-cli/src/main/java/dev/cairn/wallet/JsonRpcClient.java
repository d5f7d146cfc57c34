package dev.cairn.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small JSON-RPC 2.0 client over HTTP for the wallet. Kept here rather than shared with the server module
 * so that the wallet jar carries no web server. Failures become {@link RpcException}s with one-line messages
 * a user can act on.
 */
public final class JsonRpcClient {
  /** A node answer larger than this is refused: nothing the wallet asks for comes close. */
  private static final int RESPONSE_BYTES_MAX = 16 * 1024 * 1024;

  private final URI endpoint;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicLong ids = new AtomicLong();

  public JsonRpcClient(URI endpoint, Duration requestTimeout) {
    this.endpoint = endpoint;
    this.requestTimeout = requestTimeout;
    this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
  }

  /** An error answer from the node (code and message as sent) or a transport failure (code 0). */
  public static final class RpcException extends RuntimeException {
    private final int code;

    public RpcException(int code, String message) {
      super(message);
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  public JsonNode call(String method, Object... params) {
    ObjectNode request = json.createObjectNode();
    request.put("jsonrpc", "2.0");
    request.put("id", ids.incrementAndGet());
    request.put("method", method);
    ArrayNode array = request.putArray("params");
    for (Object param : params) {
      array.add(json.valueToTree(param));
    }
    JsonNode response = post(request);
    JsonNode error = response.get("error");
    if (error != null && !error.isNull()) {
      throw new RpcException(error.path("code").asInt(), error.path("message").asText("error without a message"));
    }
    if (!response.has("result")) {
      throw new RpcException(0, "the node at " + endpoint + " sent a JSON-RPC answer without result or error");
    }
    return response.get("result");
  }

  private JsonNode post(ObjectNode request) {
    HttpRequest httpRequest;
    try {
      httpRequest = HttpRequest.newBuilder(endpoint)
          .timeout(requestTimeout)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(request)))
          .build();
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a JSON-RPC request", e);
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
    } catch (ConnectException e) {
      throw new RpcException(0, "cannot reach the node at " + endpoint + " (connection refused); is it running? Set --rpc or CAIRN_RPC");
    } catch (HttpTimeoutException e) {
      throw new RpcException(0, "the node at " + endpoint + " did not answer within " + requestTimeout.toSeconds() + " s");
    } catch (IOException e) {
      throw new RpcException(0, "cannot reach the node at " + endpoint + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RpcException(0, "interrupted");
    }
    byte[] body = response.body();
    if (body.length > RESPONSE_BYTES_MAX) {
      throw new RpcException(0, "the node's answer is larger than " + RESPONSE_BYTES_MAX + " bytes");
    }
    try {
      JsonNode parsed = json.readTree(body);
      if (parsed == null || !parsed.isObject()) {
        throw new RpcException(0, "the node at " + endpoint + " answered HTTP " + response.statusCode() + " without a JSON-RPC object");
      }
      return parsed;
    } catch (IOException e) {
      throw new RpcException(0, "the node at " + endpoint + " answered HTTP " + response.statusCode() + " with invalid JSON");
    }
  }
}
