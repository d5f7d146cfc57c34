package dev.cairn.node.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Follows finality through a {@code newHeads} WebSocket subscription: the time a head is announced is the
 * finality time of every transaction in it; the block's tx ids are then fetched over HTTP
 * ({@code cairn_getBlockByNumber}, ids only) on a separate thread, so slow fetching never delays the
 * timestamps. Heights skipped between two announcements are fetched too.
 */
final class FinalityTracker implements AutoCloseable {
  /** Receives each finalized transaction id with the announcement time of its block. */
  interface FinalListener {
    void finalized(String txId, long atNanos);
  }

  private record Head(long height, long atNanos) {}

  private static final Head STOP = new Head(-1, 0);
  private final ObjectMapper mapper = new ObjectMapper();
  private final BlockingQueue<Head> heads = new LinkedBlockingQueue<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI rpcUrl;
  private final FinalListener listener;
  private final Thread fetcher;
  private WebSocket socket;
  private volatile long lastFetched = -1;

  private FinalityTracker(URI rpcUrl, FinalListener listener) {
    this.rpcUrl = rpcUrl;
    this.listener = listener;
    this.fetcher = Thread.ofPlatform().name("finality-fetch").start(this::fetchLoop);
  }

  static FinalityTracker open(URI rpcUrl, FinalListener listener) throws IOException, InterruptedException {
    FinalityTracker tracker = new FinalityTracker(rpcUrl, listener);
    URI ws = URI.create(rpcUrl.toString().replaceFirst("^http", "ws").replaceFirst("/?$", "/ws"));
    tracker.socket = tracker.http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .buildAsync(ws, tracker.new Listener()).join();
    tracker.socket.sendText("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cairn_subscribe\",\"params\":[\"newHeads\"]}", true).join();
    tracker.lastFetched = tracker.blockNumber();
    return tracker;
  }

  private long blockNumber() throws IOException, InterruptedException {
    return call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cairn_blockNumber\"}").path("result").asLong();
  }

  private JsonNode call(String body) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(rpcUrl).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return mapper.readTree(http.send(request, HttpResponse.BodyHandlers.ofByteArray()).body());
  }

  private void fetchLoop() {
    try {
      while (true) {
        Head head = heads.take();
        if (head == STOP) {
          return;
        }
        for (long h = Math.max(lastFetched + 1, 1); h <= head.height(); h++) {
          JsonNode block = call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cairn_getBlockByNumber\",\"params\":[" + h + ",false]}");
          for (JsonNode id : block.path("result").path("transactions")) {
            listener.finalized(id.asText(), head.atNanos());
          }
          lastFetched = h;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("finality tracking failed at height " + (lastFetched + 1), e);
    }
  }

  /** Waits for the fetcher to catch up with every head announced so far, then stops it. */
  @Override
  public void close() throws InterruptedException {
    if (fetcher.isAlive()) {
      heads.add(STOP);
      fetcher.join(TimeUnit.SECONDS.toMillis(30));
    }
    if (socket != null) {
      socket.abort();
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      long now = System.nanoTime();
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          JsonNode message = mapper.readTree(text);
          JsonNode height = message.path("params").path("result").path("height");
          if ("cairn_subscription".equals(message.path("method").asText()) && height.isNumber()) {
            heads.add(new Head(height.asLong(), now));
          }
        } catch (IOException e) {
          throw new java.io.UncheckedIOException("unreadable notification", e);
        }
      }
      webSocket.request(1);
      return CompletableFuture.completedFuture(null);
    }
  }
}
