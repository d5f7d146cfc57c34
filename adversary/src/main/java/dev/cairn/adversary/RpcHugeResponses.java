package dev.cairn.adversary;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A JSON-RPC client asking for the largest answers it can: batches of {@code batchLength} full-block reads
 * ({@code cairn_getBlockByNumber} with full transactions) of the latest blocks, as fast as the node answers.
 * Reports the bytes received, the largest answer, and how many calls were answered with -32047 (response
 * too large) or -32040 (rate limited): a node without a bound on answers builds them whole in memory.
 *
 * @param rpc the node's JSON-RPC URL (http://host:port/)
 * @param batchLength calls per batch
 */
public record RpcHugeResponses(URI rpc, int batchLength) implements Attack {
  @Override
  public String name() {
    return "rpc-huge-responses";
  }

  @Override
  public AttackReport run(Duration duration) throws InterruptedException {
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    StringJoiner batch = new StringJoiner(",", "[", "]");
    for (int i = 0; i < batchLength; i++) {
      batch.add("{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"cairn_getBlockByNumber\",\"params\":[\"latest\",true]}");
    }
    HttpRequest request = HttpRequest.newBuilder(rpc).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(batch.toString())).build();
    long requests = 0;
    long bytes = 0;
    long largest = 0;
    long tooLarge = 0;
    long rateLimited = 0;
    long failed = 0;
    do {
      if (Thread.interrupted()) throw new InterruptedException();
      try {
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        Scan scan = scan(response.body());
        requests++;
        bytes += scan.bytes;
        largest = Math.max(largest, scan.bytes);
        tooLarge += scan.tooLarge;
        rateLimited += scan.rateLimited;
      } catch (IOException e) {
        failed++;
      }
    } while (System.nanoTime() < end);
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("batches_sent", requests);
    m.put("calls_sent", requests * batchLength);
    m.put("bytes_received", bytes);
    m.put("largest_answer_bytes", largest);
    m.put("calls_response_too_large", tooLarge);
    m.put("calls_rate_limited", rateLimited);
    m.put("requests_failed", failed);
    return new AttackReport(name(), (System.nanoTime() - start) / 1_000_000, m);
  }

  private record Scan(long bytes, long tooLarge, long rateLimited) {}

  /** Streams the answer, counting bytes and the two error codes without holding the document. */
  private static Scan scan(InputStream body) throws IOException {
    byte[] tooLargeCode = "\"code\":-32047".getBytes();
    byte[] rateCode = "\"code\":-32040".getBytes();
    long bytes = 0;
    long tooLarge = 0;
    long rate = 0;
    int matchA = 0;
    int matchB = 0;
    byte[] buffer = new byte[64 * 1024];
    try (body) {
      for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
        bytes += n;
        for (int i = 0; i < n; i++) {
          byte b = buffer[i];
          matchA = b == tooLargeCode[matchA] ? matchA + 1 : (b == tooLargeCode[0] ? 1 : 0);
          if (matchA == tooLargeCode.length) {
            tooLarge++;
            matchA = 0;
          }
          matchB = b == rateCode[matchB] ? matchB + 1 : (b == rateCode[0] ? 1 : 0);
          if (matchB == rateCode.length) {
            rate++;
            matchB = 0;
          }
        }
      }
    }
    return new Scan(bytes, tooLarge, rate);
  }
}
