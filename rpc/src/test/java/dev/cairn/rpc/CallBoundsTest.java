package dev.cairn.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.ReceiptCode;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.rpc.jsonrpc.ErrorCode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The node-wide bound on JSON-RPC bodies in flight and the WebSocket byte bounds, over a real server and real
 * HTTP and WebSocket clients: one call more than the permits gets -32048 (HTTP 503) after the wait, permits
 * come back after failures, a client that asks for large answers without reading them holds at most one
 * answer and is disconnected, and notifications queue at most their byte bound.
 */
class CallBoundsTest {
  private static final KeyPair ALICE = KeyPair.fromSeedText("alice");
  private static final int PERMITS = 2;
  private static final long WAIT_MILLIS = 300;
  private final List<RpcTestServer> servers = new ArrayList<>();
  private final List<WsTestClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(WsTestClient::close);
    servers.forEach(RpcTestServer::close);
  }

  private RpcTestServer server(RpcConfig config) {
    RpcTestServer s = new RpcTestServer(config);
    servers.add(s);
    return s;
  }

  private static RpcConfig bounded(long wsQueueBytes) {
    return RpcTestServer.testConfig().withCallLimits(PERMITS, WAIT_MILLIS, wsQueueBytes);
  }

  private static final String ACCOUNT_CALL =
      "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"cairn_getAccount\",\"params\":[\"" + ALICE.address().toText() + "\"]}";

  @Test
  void oneCallMoreThanThePermitsIsToldTheServerIsBusyAfterTheWait() throws Exception {
    RpcTestServer rpc = server(bounded(RpcConfig.WS_QUEUE_BYTES_MAX_DEFAULT));
    CountDownLatch gate = new CountDownLatch(1);
    rpc.node.readGate = gate;
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    for (int i = 0; i < PERMITS; i++) {
      int id = i;
      held.add(CompletableFuture.supplyAsync(() -> rpc.post(ACCOUNT_CALL.formatted(id))));
    }
    awaitTrue(() -> rpc.server.callPermitsAvailable() == 0, "both slow calls to hold a permit");

    long started = System.nanoTime();
    HttpResponse<String> busy = rpc.post(ACCOUNT_CALL.formatted(9));
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(busy.statusCode()).isEqualTo(503);
    JsonNode error = RpcTestServer.MAPPER.readTree(busy.body()).path("error");
    assertThat(error.path("code").asInt()).isEqualTo(ErrorCode.SERVER_BUSY.code());
    assertThat(error.path("message").asText()).contains("server busy", "rpc.calls-in-flight-max", "retry");
    assertThat(waitedMillis).as("refused only after the wait").isGreaterThanOrEqualTo(WAIT_MILLIS);

    WsTestClient ws = new WsTestClient(rpc.wsUri());
    clients.add(ws);
    ws.send(ACCOUNT_CALL.formatted(10));
    assertThat(ws.next().path("error").path("code").asInt()).as("WebSocket shares the permits")
        .isEqualTo(ErrorCode.SERVER_BUSY.code());
    assertThat(rpc.server.callsRefusedBusy()).isEqualTo(2);

    gate.countDown();
    for (CompletableFuture<HttpResponse<String>> call : held) {
      HttpResponse<String> answer = call.get(10, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(RpcTestServer.MAPPER.readTree(answer.body()).has("result")).isTrue();
    }
    awaitTrue(() -> rpc.server.callPermitsAvailable() == PERMITS, "the permits to come back");
    assertThat(rpc.call(ACCOUNT_CALL.formatted(11)).has("result")).as("served again").isTrue();
  }

  @Test
  void permitsComeBackAfterFailingCallsAndRefusedBodies() throws Exception {
    RpcTestServer rpc = server(bounded(RpcConfig.WS_QUEUE_BYTES_MAX_DEFAULT));
    rpc.node.failReads = true;
    WsTestClient ws = new WsTestClient(rpc.wsUri());
    clients.add(ws);
    for (int i = 0; i < 3 * PERMITS; i++) {
      String call = "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"cairn_getBlockByNumber\",\"params\":[0,false]}";
      assertThat(rpc.call(call).path("error").path("code").asInt()).isEqualTo(ErrorCode.INTERNAL_ERROR.code());
      ws.send(call);
      assertThat(ws.next().path("error").path("code").asInt()).isEqualTo(ErrorCode.INTERNAL_ERROR.code());
      assertThat(rpc.post("not json").statusCode()).isEqualTo(200);
      assertThat(rpc.post("{\"jsonrpc\":\"2.0\",\"method\":\"cairn_chainId\"}").statusCode()).as("a notification").isEqualTo(204);
    }
    awaitTrue(() -> rpc.server.callPermitsAvailable() == PERMITS, "every permit back");
    assertThat(rpc.server.callsRefusedBusy()).isZero();
  }

  /** The attack: ask for large answers (full blocks) over WebSocket and never read them. */
  @Test
  void aClientThatNeverReadsItsLargeAnswersHoldsOneAndIsDisconnected() throws Exception {
    RpcTestServer rpc = server(bounded(RpcConfig.WS_QUEUE_BYTES_MAX_DEFAULT));
    fillLargeBlock(rpc);
    String blockCall = "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"cairn_getBlockByNumber\",\"params\":[1,true]}";
    int answerBytes = rpc.post(blockCall.formatted(0)).body().length();
    assertThat(answerBytes).as("a large answer").isGreaterThan(1_000_000);

    WsTestClient reader = new WsTestClient(rpc.wsUri());
    clients.add(reader);
    WsTestClient greedy = new WsTestClient(rpc.wsUri());
    clients.add(greedy);
    greedy.stopReading();
    CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
      for (int i = 1; i <= 64 && !greedy.closeCode.isDone(); i++) {
        greedy.send(blockCall.formatted(i));
      }
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (rpc.server.slowConsumersDisconnected() == 0 && System.nanoTime() < deadline) {
      assertThat(rpc.server.callPermitsAvailable()).as("the greedy client holds at most its one unwritten answer")
          .isGreaterThanOrEqualTo(PERMITS - 1);
      assertThat(rpc.server.webSocketQueuedBytesMax()).as("unwritten notification and busy-answer bytes")
          .isLessThanOrEqualTo(RpcConfig.WS_QUEUE_BYTES_MAX_DEFAULT);
      assertThat(reader.call("cairn_blockNumber", "[]").path("result").asLong()).as("others are still served").isEqualTo(1);
      assertThat(rpc.call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cairn_blockNumber\"}").path("result").asLong()).isEqualTo(1);
      Thread.sleep(50);
    }
    assertThat(rpc.server.slowConsumersDisconnected()).as("the client that never reads is disconnected").isEqualTo(1);
    awaitTrue(() -> rpc.server.webSocketConnections() == 1, "the greedy connection to be dropped");
    awaitTrue(() -> rpc.server.callPermitsAvailable() == PERMITS, "its permit to come back with the dropped connection");
    flood.exceptionally(e -> null).get(30, TimeUnit.SECONDS);
    assertThat(rpc.server.callsRefusedBusy()).as("no one was refused for want of a permit").isZero();
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
        .withCallLimits(PERMITS, WAIT_MILLIS, bytesMax);
    RpcTestServer rpc = server(config);
    WsTestClient slow = new WsTestClient(rpc.wsUri());
    clients.add(slow);
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

  /** 160 record writes of 4 KiB: the block's full-transaction JSON is over a megabyte. */
  private static void fillLargeBlock(RpcTestServer rpc) {
    List<Transaction> txs = new ArrayList<>();
    for (int i = 0; i < 160; i++) {
      txs.add(Transaction.sign(InMemoryNode.CHAIN_ID, ALICE, i, new Payload.RecordPut("key-" + i, Bytes.wrap(new byte[4096]))));
    }
    rpc.node.finalizeBlock(txs, Collections.nCopies(txs.size(), ReceiptCode.OK));
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }
}
