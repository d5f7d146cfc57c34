package dev.cairn.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.rpc.jsonrpc.ErrorCode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import dev.cairn.testsupport.Await;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The node-wide bound on large answers and the WebSocket byte bounds, over a real server, real HTTP and
 * WebSocket clients and raw sockets that never read: small answers are never gated, even while other clients
 * hold every large-answer permit; a large answer beyond the permits gets a complete -32048 (HTTP 503) after
 * the wait; one address holds at most its share; an HTTP client that never reads its answer gives the permit
 * back after the write timeout; a WebSocket client that never reads holds at most one answer and is
 * disconnected; notifications queue at most their byte bound. Clients take other addresses of the loopback
 * network (127.0.0.2, 127.0.0.3) to be told apart from the test's own calls (127.0.0.1).
 */
class CallBoundsTest {
  private static final KeyPair ALICE = KeyPair.fromSeedText("alice");
  private static final int PERMITS = 2;
  private static final long WAIT_MILLIS = 300;
  private static final long WRITE_TIMEOUT_MILLIS = 2_000;
  /** For tests whose never-reading clients must keep their permits however slowly the test runs. */
  private static final long WRITE_TIMEOUT_MILLIS_LONG = 60_000;
  /** Over the kernel's socket buffers (4 MiB on the server's side at most here): a client that never reads blocks the write. */
  private static final int LARGE_BLOCK_RECORDS = 1_000;
  private static final String BLOCK_CALL = "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"cairn_getBlockByNumber\",\"params\":[1,true]}";
  private static final String ACCOUNT_CALL =
      "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"cairn_getAccount\",\"params\":[\"" + ALICE.address().toText() + "\"]}";

  private final List<RpcTestServer> servers = new ArrayList<>();
  private final List<AutoCloseable> clients = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable client : clients) {
      client.close();
    }
    servers.forEach(RpcTestServer::close);
  }

  private RpcTestServer server(RpcConfig config) {
    RpcTestServer s = new RpcTestServer(config);
    servers.add(s);
    return s;
  }

  private static RpcConfig bounded(long wsQueueBytes) {
    return bounded(wsQueueBytes, WRITE_TIMEOUT_MILLIS);
  }

  private static RpcConfig bounded(long wsQueueBytes, long writeTimeoutMillis) {
    return RpcTestServer.testConfig().withAnswerLimits(new RpcConfig.AnswerLimits(
        RpcConfig.AnswerLimits.LARGE_ANSWER_BYTES_DEFAULT, PERMITS, 1, WAIT_MILLIS, writeTimeoutMillis), wsQueueBytes);
  }

  private RpcTestServer serverWithLargeBlock(long writeTimeoutMillis) {
    RpcTestServer rpc = server(bounded(RpcConfig.WS_QUEUE_BYTES_MAX_DEFAULT, writeTimeoutMillis));
    fillLargeBlock(rpc, LARGE_BLOCK_RECORDS);
    return rpc;
  }

  /** The attack of the first design: take every permit, and everyone's calls stall. Now only large answers wait. */
  @Test
  void smallCallsFromOneAddressAreAllServedWhileOtherClientsHoldEveryLargeAnswerPermit() throws Exception {
    RpcTestServer rpc = serverWithLargeBlock(WRITE_TIMEOUT_MILLIS_LONG);
    Socket first = neverReading(rpc, "127.0.0.2", BLOCK_CALL.formatted(1));
    Socket second = neverReading(rpc, "127.0.0.3", BLOCK_CALL.formatted(1));
    awaitTrue(() -> rpc.server.largeAnswerPermitsAvailable() == 0, "both unread large answers to hold a permit");

    List<CompletableFuture<HttpResponse<String>>> small = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      small.add(rpc.http.sendAsync(post(rpc, ACCOUNT_CALL.formatted(i)), HttpResponse.BodyHandlers.ofString()));
    }
    WsTestClient ws = ws(rpc);
    for (int i = 0; i < 16; i++) {
      assertThat(ws.call("cairn_blockNumber", "[]").path("result").asLong()).as("small WebSocket calls too").isEqualTo(1);
    }
    for (CompletableFuture<HttpResponse<String>> call : small) {
      HttpResponse<String> answer = call.get(20, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(RpcTestServer.MAPPER.readTree(answer.body()).path("result").path("address").asText())
          .isEqualTo(ALICE.address().toText());
    }
    assertThat(rpc.server.largeAnswersRefusedBusy()).as("no small call was refused").isZero();
    assertThat(rpc.server.largeAnswerPermitsAvailable()).as("still held by the clients that do not read").isZero();

    long started = System.nanoTime();
    HttpResponse<String> busy = rpc.post(BLOCK_CALL.formatted(7));
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(busy.statusCode()).isEqualTo(503);
    JsonNode refused = RpcTestServer.MAPPER.readTree(busy.body());
    assertThat(refused.path("id").asInt()).as("a complete answer to the call").isEqualTo(7);
    assertThat(refused.has("result")).isFalse();
    assertThat(refused.path("error").path("code").asInt()).isEqualTo(ErrorCode.SERVER_BUSY.code());
    assertThat(refused.path("error").path("message").asText())
        .contains("server busy", "rpc.large-answer-bytes", "rpc.large-answers-max", "retry");
    assertThat(waitedMillis).as("refused only after the wait").isGreaterThanOrEqualTo(WAIT_MILLIS);
    JsonNode overWs = ws.call("cairn_getBlockByNumber", "[1,true]");
    assertThat(overWs.path("error").path("code").asInt()).as("WebSocket shares the permits").isEqualTo(ErrorCode.SERVER_BUSY.code());
    assertThat(rpc.server.largeAnswersRefusedBusy()).isEqualTo(2);
    assertThat(rpc.server.httpAnswersAbandoned()).as("the permits were held throughout, not timed out").isZero();

    first.close();
    second.close();
    awaitTrue(() -> rpc.server.largeAnswerPermitsAvailable() == PERMITS, "the failed writes to give the permits back");
    JsonNode block = rpc.call(BLOCK_CALL.formatted(8));
    assertThat(block.path("result").path("transactions").size()).as("served again").isEqualTo(LARGE_BLOCK_RECORDS);
  }

  @Test
  void oneAddressHoldsAtMostItsShareOfTheLargeAnswerPermits() throws Exception {
    RpcTestServer rpc = serverWithLargeBlock(WRITE_TIMEOUT_MILLIS_LONG);
    neverReading(rpc, "127.0.0.2", BLOCK_CALL.formatted(1));
    awaitTrue(() -> rpc.server.largeAnswerPermitsAvailable() == PERMITS - 1, "the unread answer to hold a permit");

    HttpClient sameAddress = HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0.2")).build();
    HttpResponse<String> refused = sameAddress.send(post(rpc, BLOCK_CALL.formatted(2)), HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).as("a permit is free, but not for this address").isEqualTo(503);
    assertThat(RpcTestServer.MAPPER.readTree(refused.body()).path("error").path("message").asText())
        .contains("rpc.large-answers-per-client-max");
    String batch = "[" + ACCOUNT_CALL.formatted(1) + "," + BLOCK_CALL.formatted(2) + "," + ACCOUNT_CALL.formatted(3) + "]";
    JsonNode answers = RpcTestServer.MAPPER.readTree(
        sameAddress.send(post(rpc, batch), HttpResponse.BodyHandlers.ofString()).body());
    assertThat(answers.size()).as("every call of the batch answered").isEqualTo(3);
    assertThat(answers.get(0).path("result").path("address").asText()).as("the small answer before it grew").isEqualTo(ALICE.address().toText());
    assertThat(answers.get(1).path("error").path("code").asInt()).isEqualTo(ErrorCode.SERVER_BUSY.code());
    assertThat(answers.get(2).path("id").asInt()).isEqualTo(3);
    assertThat(answers.get(2).path("error").path("code").asInt()).as("not run").isEqualTo(ErrorCode.SERVER_BUSY.code());

    HttpClient otherAddress = HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0.3")).build();
    HttpResponse<String> served = otherAddress.send(post(rpc, BLOCK_CALL.formatted(4)), HttpResponse.BodyHandlers.ofString());
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(RpcTestServer.MAPPER.readTree(served.body()).path("result").path("transactions").size())
        .as("another address takes the other permit").isEqualTo(LARGE_BLOCK_RECORDS);
    WsTestClient sameAddressWs = new WsTestClient(sameAddress, rpc.wsUri(), Map.of());
    clients.add(sameAddressWs);
    assertThat(sameAddressWs.call("cairn_getBlockByNumber", "[1,true]").path("error").path("code").asInt())
        .as("its WebSocket connections share its share").isEqualTo(ErrorCode.SERVER_BUSY.code());
    assertThat(rpc.server.largeAnswersRefusedBusy()).isEqualTo(3);
    assertThat(rpc.server.httpAnswersAbandoned()).as("the permit was held throughout, not timed out").isZero();
  }

  /** The attack: ask for a large answer over HTTP and never read it, to keep a permit (and a thread) forever. */
  @Test
  void anHttpClientThatNeverReadsItsLargeAnswerGivesThePermitBackAfterTheWriteTimeout() throws Exception {
    RpcTestServer rpc = serverWithLargeBlock(WRITE_TIMEOUT_MILLIS);
    long sent = System.nanoTime();
    Socket greedy = neverReading(rpc, "127.0.0.2", BLOCK_CALL.formatted(1));
    awaitTrue(() -> rpc.server.largeAnswerPermitsAvailable() == PERMITS - 1, "the unread answer to hold a permit");
    assertThat(rpc.call(ACCOUNT_CALL.formatted(2)).has("result")).as("others are served meanwhile").isTrue();
    awaitTrue(() -> rpc.server.largeAnswerPermitsAvailable() == PERMITS, "the permit to come back");
    long heldMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
    System.out.println("unread large answer: permit held " + heldMillis + " ms, write timeout " + WRITE_TIMEOUT_MILLIS + " ms");
    assertThat(heldMillis).as("held until the write timeout, not longer").isBetween(WRITE_TIMEOUT_MILLIS - 100, WRITE_TIMEOUT_MILLIS + 5_000);
    assertThat(rpc.server.httpAnswersAbandoned()).isEqualTo(1);

    byte[] received = greedy.getInputStream().readAllBytes(); // ends: the server closed the connection
    String head = new String(received, 0, Math.min(received.length, 512), StandardCharsets.ISO_8859_1);
    long declared = Long.parseLong(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
    assertThat((long) received.length).as("the client never got the whole answer it did not read in time").isLessThan(declared);
    assertThat(rpc.call(BLOCK_CALL.formatted(3)).path("result").path("transactions").size()).isEqualTo(LARGE_BLOCK_RECORDS);
  }

  @Test
  void permitsComeBackAfterWrittenFailingAndRefusedCalls() throws Exception {
    RpcTestServer rpc = server(bounded(RpcConfig.WS_QUEUE_BYTES_MAX_DEFAULT));
    fillLargeBlock(rpc, 160);
    WsTestClient ws = ws(rpc);
    for (int i = 0; i < 3 * PERMITS; i++) {
      assertThat(rpc.call(BLOCK_CALL.formatted(i)).path("result").path("transactions").size()).isEqualTo(160);
      ws.send(BLOCK_CALL.formatted(i));
      assertThat(ws.next().path("result").path("transactions").size()).isEqualTo(160);
      rpc.node.failReads = true;
      String failing = "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"cairn_getBlockByNumber\",\"params\":[1,true]}";
      assertThat(rpc.call(failing).path("error").path("code").asInt()).isEqualTo(ErrorCode.INTERNAL_ERROR.code());
      ws.send(failing);
      assertThat(ws.next().path("error").path("code").asInt()).isEqualTo(ErrorCode.INTERNAL_ERROR.code());
      rpc.node.failReads = false;
      assertThat(rpc.post("not json").statusCode()).isEqualTo(200);
      assertThat(rpc.post("{\"jsonrpc\":\"2.0\",\"method\":\"cairn_getBlockByNumber\",\"params\":[1,true]}").statusCode())
          .as("a notification of a large answer").isEqualTo(204);
    }
    awaitTrue(() -> rpc.server.largeAnswerPermitsAvailable() == PERMITS, "every permit back");
    assertThat(rpc.server.largeAnswersRefusedBusy()).isZero();
  }

  /** The attack over WebSocket: ask for large answers (full blocks) and never read them. */
  @Test
  void aWebSocketClientThatNeverReadsItsLargeAnswersHoldsOneAndIsDisconnected() throws Exception {
    RpcTestServer rpc = server(bounded(RpcConfig.WS_QUEUE_BYTES_MAX_DEFAULT));
    fillLargeBlock(rpc, 160);
    int answerBytes = rpc.post(BLOCK_CALL.formatted(0)).body().length();
    assertThat(answerBytes).as("a large answer").isGreaterThan((int) RpcConfig.AnswerLimits.LARGE_ANSWER_BYTES_DEFAULT);

    WsTestClient reader = ws(rpc);
    WsTestClient greedy = ws(rpc);
    greedy.stopReading();
    CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
      for (int i = 1; i <= 64 && !greedy.closeCode.isDone(); i++) {
        greedy.send(BLOCK_CALL.formatted(i));
      }
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (rpc.server.slowConsumersDisconnected() == 0 && System.nanoTime() < deadline) {
      assertThat(rpc.server.largeAnswerPermitsAvailable()).as("the greedy client holds at most its one unwritten answer")
          .isGreaterThanOrEqualTo(PERMITS - 1);
      assertThat(rpc.server.webSocketQueuedBytesMax()).as("unwritten notification bytes")
          .isLessThanOrEqualTo(RpcConfig.WS_QUEUE_BYTES_MAX_DEFAULT);
      assertThat(reader.call("cairn_blockNumber", "[]").path("result").asLong()).as("others are still served").isEqualTo(1);
      assertThat(rpc.call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cairn_blockNumber\"}").path("result").asLong()).isEqualTo(1);
      Thread.sleep(50);
    }
    assertThat(rpc.server.slowConsumersDisconnected()).as("the client that never reads is disconnected").isEqualTo(1);
    awaitTrue(() -> rpc.server.webSocketConnections() == 1, "the greedy connection to be dropped");
    awaitTrue(() -> rpc.server.largeAnswerPermitsAvailable() == PERMITS, "its permit to come back with the dropped connection");
    flood.exceptionally(e -> null).get(30, TimeUnit.SECONDS);
    assertThat(rpc.server.largeAnswersRefusedBusy()).as("no one was refused for want of a permit").isZero();
  }

  @Test
  void notificationsQueueAtMostTheirByteBoundThenTheSlowConsumerIsDisconnected() throws Exception {
    long bytesMax = 4 * 1024;
    RpcConfig d = bounded(bytesMax);
    // Many messages allowed, so that the byte bound is what is met.
    RpcConfig config = new RpcConfig(d.host(), 0, d.requestBodyBytesMax(), d.batchLengthMax(), d.jsonNestingDepthMax(),
        d.jsonNumberDigitsMax(), d.requestsPerSecondPerIp(), d.requestBurstMax(), d.rateLimitedIpsTrackedMax(),
        d.wsConnectionsMax(), d.wsSubscriptionsPerConnectionMax(), 100_000, d.wsIdleTimeoutMillis(),
        d.pendingTransactionsReturnedMax(), d.drainTimeoutMillis(), d.corsAllowedOrigins())
        .withAnswerLimits(d.answerLimits(), bytesMax);
    RpcTestServer rpc = server(config);
    WsTestClient slow = ws(rpc);
    slow.call("cairn_subscribe", "[\"newHeads\"]");
    slow.stopReading();
    rpc.node.finalizeBlock(List.of(), List.of());
    var event = new ChainEvents.BlockFinalized(rpc.node.blockByHeight(1).orElseThrow(), List.of());
    int published = 0;
    while (rpc.server.slowConsumersDisconnected() == 0 && published < 500_000) {
      rpc.node.publish(event);
      published++;
      assertThat(rpc.server.webSocketQueuedBytesMax()).as("unwritten notification bytes").isLessThanOrEqualTo(bytesMax);
    }
    assertThat(rpc.server.slowConsumersDisconnected()).as("disconnected after %d notifications", published).isEqualTo(1);
    // The close frame waits behind the unread notifications; the connection is dropped after the grace.
    awaitTrue(() -> rpc.server.webSocketConnections() == 0, "the slow connection to be dropped");
  }

  private WsTestClient ws(RpcTestServer rpc) {
    WsTestClient client = new WsTestClient(rpc.wsUri());
    clients.add(client);
    return client;
  }

  private static HttpRequest post(RpcTestServer rpc, String body) {
    return HttpRequest.newBuilder(rpc.uri()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  /**
   * A raw HTTP client at {@code localAddress} that sends {@code body} and never reads: its receive window is a
   * few KiB, so the server's write of a large answer blocks once the kernel's buffers are full.
   */
  private Socket neverReading(RpcTestServer rpc, String localAddress, String body) throws IOException {
    Socket socket = new Socket();
    clients.add(socket);
    socket.setReceiveBufferSize(4096);
    socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), rpc.port), 5_000);
    byte[] json = body.getBytes(StandardCharsets.UTF_8);
    OutputStream out = socket.getOutputStream();
    out.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " + json.length
        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(json);
    out.flush();
    return socket;
  }

  /** {@code records} record writes of 4 KiB in block 1: its full-transaction JSON is about 8.3 KiB per record. */
  private static void fillLargeBlock(RpcTestServer rpc, int records) {
    rpc.finalizeRecordBlock(ALICE, records, 4096);
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    Await.until(what, java.time.Duration.ofSeconds(20), condition);
  }
}
