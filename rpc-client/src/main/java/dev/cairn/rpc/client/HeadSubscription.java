package dev.cairn.rpc.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@code newHeads} subscription over the node's WebSocket ({@code cairn_subscribe}). Each notification goes to
 * the listener on the socket's thread as soon as its last fragment arrives; a message larger than the client's
 * response bound, or one the listener throws on, ends the subscription ({@link #failure()}).
 */
public final class HeadSubscription implements AutoCloseable {
  /** Hears each new head: its height and the header as the node sent it. */
  public interface Listener {
    void newHead(long height, JsonNode header);
  }

  private final Listener listener;
  private final long messageBytesMax;
  private final CompletableFuture<String> confirmed = new CompletableFuture<>();
  private WebSocket socket;
  private volatile Throwable failure;

  private HeadSubscription(Listener listener, long messageBytesMax) {
    this.listener = listener;
    this.messageBytesMax = messageBytesMax;
  }

  static HeadSubscription open(HttpClient http, URI endpoint, Duration timeout, long messageBytesMax, Listener listener) {
    HeadSubscription subscription = new HeadSubscription(listener, messageBytesMax);
    URI ws = URI.create(endpoint.toString().replaceFirst("^http", "ws").replaceFirst("/?$", "/ws"));
    try {
      subscription.socket = http.newWebSocketBuilder().connectTimeout(timeout)
          .buildAsync(ws, subscription.new Receiver()).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      subscription.socket.sendText("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cairn_subscribe\",\"params\":[\"newHeads\"]}", true)
          .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      subscription.confirmed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return subscription;
    } catch (ExecutionException e) {
      subscription.close();
      Throwable cause = e.getCause();
      throw cause instanceof RpcException rpc ? rpc : new RpcTransportException("cannot subscribe at " + ws + ": " + cause, cause);
    } catch (TimeoutException e) {
      subscription.close();
      throw new RpcTransportException("no newHeads subscription at " + ws + " within " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      subscription.close();
      Thread.currentThread().interrupt();
      throw new RpcTransportException("interrupted subscribing at " + ws, e);
    }
  }

  /** Why the subscription ended early, or null while it runs (or after a {@link #close()}). */
  public Throwable failure() {
    return failure;
  }

  @Override
  public void close() {
    if (socket != null) {
      socket.abort();
    }
  }

  private void fail(Throwable cause) {
    failure = cause;
    confirmed.completeExceptionally(cause);
    close();
  }

  private void onMessage(JsonNode message) {
    if (!confirmed.isDone() && message.has("id")) {
      JsonNode error = message.get("error");
      if (error != null && error.isObject()) {
        confirmed.completeExceptionally(new RpcError(error.path("code").asInt(), error.path("message").asText(), error.get("data")));
      } else {
        confirmed.complete(message.path("result").asText());
      }
      return;
    }
    JsonNode header = message.path("params").path("result");
    JsonNode height = header.path("height");
    if ("cairn_subscription".equals(message.path("method").asText()) && height.canConvertToLong()) {
      listener.newHead(height.asLong(), header);
    }
  }

  private final class Receiver implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (partial.length() > messageBytesMax) {
        fail(new RpcTransportException("a WebSocket message passed " + messageBytesMax + " characters", null));
        return null;
      }
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          onMessage(RpcClient.MAPPER.readTree(text));
        } catch (IOException e) {
          fail(new RpcTransportException("a WebSocket message is not JSON: " + Answers.abbreviate(text), e));
          return null;
        } catch (RuntimeException e) {
          fail(e);
          return null;
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      if (!confirmed.isDone()) {
        confirmed.completeExceptionally(new RpcTransportException("WebSocket closed (" + statusCode + " " + reason + ")", null));
      }
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      fail(new RpcTransportException("WebSocket failed: " + error, error));
    }
  }
}
