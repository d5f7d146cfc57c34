package dev.cairn.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.ReceiptCode;
import dev.cairn.ledger.model.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.cairn.testsupport.Await;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Subscriptions over WebSocket: newHeads, txFinalized exactly once, limits, and a slow consumer's bound. */
class WebSocketSubscriptionTest {
  private final KeyPair alice = KeyPair.fromSeedText("alice");
  private RpcTestServer rpc;
  private final List<WsTestClient> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    rpc = new RpcTestServer(RpcTestServer.testConfig());
  }

  @AfterEach
  void stop() {
    clients.forEach(WsTestClient::close);
    rpc.close();
  }

  private WsTestClient connect() {
    WsTestClient client = new WsTestClient(rpc.wsUri());
    clients.add(client);
    return client;
  }

  private Transaction tx(long nonce) {
    return Transaction.sign(InMemoryNode.CHAIN_ID, alice, nonce, new Payload.RecordPut("k" + nonce, Bytes.fromHex("01")));
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    Await.until(what, java.time.Duration.ofSeconds(10), condition);
  }

  @Test
  void newHeadsDeliversEveryFinalizedHeaderInOrder() {
    WsTestClient ws = connect();
    String id = ws.call("cairn_subscribe", "[\"newHeads\"]").path("result").asText();
    assertThat(id).startsWith("0x");
    List<FinalizedBlock> blocks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      blocks.add(rpc.node.finalizeBlock(List.of(), List.of()));
    }
    for (int i = 0; i < 3; i++) {
      JsonNode note = ws.next();
      assertThat(note.has("id")).isFalse();
      assertThat(note.path("method").asText()).isEqualTo("cairn_subscription");
      assertThat(note.path("params").path("subscription").asText()).isEqualTo(id);
      assertThat(note.path("params").path("result").path("height").asLong()).isEqualTo(i + 1);
      assertThat(note.path("params").path("result").path("hash").asText())
          .isEqualTo("0x" + blocks.get(i).block().hash().toHex());
    }
  }

  @Test
  void txFinalizedIsNotifiedExactlyOnce() {
    WsTestClient ws = connect();
    Transaction tx = tx(0);
    String id = ws.call("cairn_subscribe", "[\"txFinalized\", \"0x" + tx.id().toHex() + "\"]").path("result").asText();
    rpc.node.finalizeBlock(List.of(), List.of());
    rpc.node.finalizeBlock(List.of(tx), List.of(ReceiptCode.OK));
    JsonNode note = ws.next();
    assertThat(note.path("params").path("subscription").asText()).isEqualTo(id);
    JsonNode receipt = note.path("params").path("result");
    assertThat(receipt.path("txId").asText()).isEqualTo("0x" + tx.id().toHex());
    assertThat(receipt.path("blockHeight").asLong()).isEqualTo(2);
    assertThat(receipt.path("status").asText()).isEqualTo("success");
    rpc.node.finalizeBlock(List.of(tx(1)), List.of(ReceiptCode.OK));
    // Blocks are announced synchronously, so any second notification would arrive before this answer.
    assertThat(ws.call("cairn_chainId", "[]").path("result").asText()).isEqualTo(InMemoryNode.CHAIN_ID);
    assertThat(rpc.server.subscriptions()).isZero();
    assertThat(ws.call("cairn_unsubscribe", "[\"" + id + "\"]").path("result").asBoolean()).isFalse();
  }

  @Test
  void txFinalizedForAnAlreadyFinalTxIsNotifiedRightAfterTheAnswer() {
    WsTestClient ws = connect();
    Transaction tx = tx(0);
    rpc.node.finalizeBlock(List.of(tx), List.of(ReceiptCode.INSUFFICIENT_BALANCE));
    String id = ws.call("cairn_subscribe", "{\"kind\":\"txFinalized\",\"txId\":\"0x" + tx.id().toHex() + "\"}")
        .path("result").asText();
    JsonNode note = ws.next();
    assertThat(note.path("params").path("subscription").asText()).isEqualTo(id);
    assertThat(note.path("params").path("result").path("codeName").asText()).isEqualTo("insufficient_balance");
    assertThat(ws.call("cairn_blockNumber", "[]").path("result").asLong()).isEqualTo(1);
  }

  @Test
  void accountAndRecordSubscriptionsHearEachFinalizedTransactionThatTouchesThem() {
    WsTestClient ws = connect();
    KeyPair bob = KeyPair.fromSeedText("bob");
    String bobId = ws.call("cairn_subscribe", "[\"account\", \"" + bob.address().toText() + "\"]").path("result").asText();
    String aliceId = ws.call("cairn_subscribe", "[\"account\", \"" + alice.address().toText() + "\"]").path("result").asText();
    String recordId = ws.call("cairn_subscribe", "[\"record\", \"" + alice.address().toText() + "\", \"k1\"]")
        .path("result").asText();
    Transaction pay = Transaction.sign(InMemoryNode.CHAIN_ID, alice, 0, new Payload.Transfer(bob.address(), 3));
    Transaction put = tx(1);
    Transaction otherKey = tx(2);
    Transaction failedPut = Transaction.sign(InMemoryNode.CHAIN_ID, alice, 3, new Payload.RecordPut("k1", Bytes.fromHex("02")));
    rpc.node.finalizeBlock(List.of(pay, put, otherKey, failedPut),
        List.of(ReceiptCode.OK, ReceiptCode.OK, ReceiptCode.OK, ReceiptCode.NOT_A_MEMBER));
    // In chain order, the sender before the recipient: the transfer to both, alice's puts, one record change.
    List<JsonNode> notes = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      notes.add(ws.next().path("params"));
    }
    assertThat(notes).extracting(n -> n.path("subscription").asText())
        .containsExactly(aliceId, bobId, aliceId, recordId, aliceId, aliceId);
    assertThat(notes.get(0).path("result").path("parties").toString()).isEqualTo("[\"sender\"]");
    assertThat(notes.get(1).path("result").path("parties").toString()).isEqualTo("[\"recipient\"]");
    assertThat(notes.get(1).path("result").path("address").asText()).isEqualTo(bob.address().toText());
    assertThat(notes.get(1).path("result").path("txId").asText()).isEqualTo("0x" + pay.id().toHex());
    JsonNode change = notes.get(3).path("result");
    assertThat(change.path("key").asText()).isEqualTo("k1");
    assertThat(change.path("value").asText()).isEqualTo("0x01");
    assertThat(change.path("txId").asText()).isEqualTo("0x" + put.id().toHex());
    assertThat(change.path("blockHeight").asLong()).isEqualTo(1);
    assertThat(notes.get(5).path("result").path("codeName").asText()).isEqualTo("not_a_member");
    // Nothing else is queued: the failed put of k1 changed nothing and is not a record change.
    assertThat(ws.call("cairn_blockNumber", "[]").path("result").asLong()).isEqualTo(1);
    assertThat(ws.call("cairn_unsubscribe", "[\"" + aliceId + "\"]").path("result").asBoolean()).isTrue();
    assertThat(rpc.server.subscriptions()).isEqualTo(2);
  }

  @Test
  void accountAndRecordSubscriptionParamsAreCheckedAndCountTowardTheLimit() {
    WsTestClient ws = connect();
    assertThat(ws.call("cairn_subscribe", "[\"account\", \"cairn1bad\"]").path("error").path("data").path("param").asText())
        .isEqualTo("txId");
    assertThat(ws.call("cairn_subscribe", "[\"account\"]").path("error").path("code").asInt()).isEqualTo(-32602);
    assertThat(ws.call("cairn_subscribe", "[\"account\", \"" + alice.address().toText() + "\", \"k\"]")
        .path("error").path("data").path("param").asText()).isEqualTo("key");
    assertThat(ws.call("cairn_subscribe", "[\"record\", \"" + alice.address().toText() + "\"]")
        .path("error").path("data").path("param").asText()).isEqualTo("key");
    assertThat(ws.call("cairn_subscribe", "[\"record\", \"" + alice.address().toText() + "\", \"" + "k".repeat(257) + "\"]")
        .path("error").path("data").path("param").asText()).isEqualTo("key");
    assertThat(ws.call("cairn_subscribe", "[\"newHeads\", null, \"k\"]").path("error").path("code").asInt()).isEqualTo(-32602);
    assertThat(ws.call("cairn_subscribe", "[\"account\", \"" + alice.address().toText() + "\"]").has("result")).isTrue();
    assertThat(ws.call("cairn_subscribe", "[\"record\", \"" + alice.address().toText() + "\", \"k\"]").has("result")).isTrue();
    assertThat(ws.call("cairn_subscribe", "[\"newHeads\"]").has("result")).isTrue();
    assertThat(ws.call("cairn_subscribe", "[\"account\", \"" + alice.address().toText() + "\"]")
        .path("error").path("code").asInt()).isEqualTo(-32044);
  }

  @Test
  void unsubscribeStopsNotifications() {
    WsTestClient ws = connect();
    String id = ws.call("cairn_subscribe", "[\"newHeads\"]").path("result").asText();
    assertThat(ws.call("cairn_unsubscribe", "[\"" + id + "\"]").path("result").asBoolean()).isTrue();
    rpc.node.finalizeBlock(List.of(), List.of());
    assertThat(ws.call("cairn_blockNumber", "[]").path("result").asLong()).isEqualTo(1);
    assertThat(ws.call("cairn_unsubscribe", "[\"" + id + "\"]").path("result").asBoolean()).isFalse();
  }

  @Test
  void subscriptionParamsAndLimits() {
    WsTestClient ws = connect();
    assertThat(ws.call("cairn_subscribe", "[\"logs\"]").path("error").path("code").asInt()).isEqualTo(-32602);
    assertThat(ws.call("cairn_subscribe", "[\"txFinalized\", \"0x12\"]").path("error").path("code").asInt()).isEqualTo(-32602);
    for (int i = 0; i < 3; i++) {
      assertThat(ws.call("cairn_subscribe", "[\"newHeads\"]").has("result")).isTrue();
    }
    assertThat(ws.call("cairn_subscribe", "[\"newHeads\"]").path("error").path("code").asInt()).isEqualTo(-32044);
  }

  @Test
  void everyMethodAndBatchesWorkOverWebSocket() {
    WsTestClient ws = connect();
    assertThat(ws.call("cairn_chainId", "[]").path("result").asText()).isEqualTo(InMemoryNode.CHAIN_ID);
    ws.send("[{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"cairn_blockNumber\"},{\"jsonrpc\":\"2.0\",\"method\":\"cairn_chainId\"}]");
    JsonNode batch = ws.next();
    assertThat(batch.isArray()).isTrue();
    assertThat(batch).hasSize(1);
    assertThat(batch.get(0).path("id").asText()).isEqualTo("a");
    ws.send("{not json");
    assertThat(ws.next().path("error").path("code").asInt()).isEqualTo(-32700);
  }

  @Test
  void oversizeMessageClosesTheConnection() throws Exception {
    WsTestClient ws = connect();
    ws.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cairn_chainId\",\"params\":[\"" + "a".repeat(20_000) + "\"]}");
    assertThat(ws.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1009);
  }

  @Test
  void connectionsOverTheLimitAreClosedWithAReason() throws Exception {
    for (int i = 0; i < 4; i++) {
      connect().call("cairn_chainId", "[]");
    }
    WsTestClient extra = connect();
    assertThat(extra.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1013);
    assertThat(extra.closeReason.get(1, TimeUnit.SECONDS)).contains("too many");
    assertThat(rpc.server.webSocketConnections()).isEqualTo(4);
  }

  @Test
  void slowConsumerIsDisconnectedAndItsQueueStaysBounded() throws Exception {
    WsTestClient slow = connect();
    slow.call("cairn_subscribe", "[\"newHeads\"]");
    slow.stopReading();
    WsTestClient healthy = connect();
    healthy.call("cairn_chainId", "[]");
    rpc.node.finalizeBlock(List.of(), List.of());
    var event = new dev.cairn.rpc.ChainEvents.BlockFinalized(rpc.node.blockByHeight(1).orElseThrow(), List.of());
    int published = 0;
    int queueMax = RpcTestServer.testConfig().wsQueueMessagesMax();
    while (rpc.server.slowConsumersDisconnected() == 0 && published < 500_000) {
      rpc.node.publish(event);
      published++;
      assertThat(rpc.server.webSocketQueuedMessagesMax()).isLessThanOrEqualTo(queueMax);
    }
    assertThat(rpc.server.slowConsumersDisconnected()).as("disconnected after %d notifications", published).isEqualTo(1);
    org.slf4j.LoggerFactory.getLogger(WebSocketSubscriptionTest.class)
        .info("slow consumer disconnected published={} queueMax={}", published, queueMax);
    awaitTrue(() -> rpc.server.webSocketConnections() == 1, "the slow connection to be dropped");
    // The other client was never subscribed and is unaffected.
    assertThat(healthy.call("cairn_blockNumber", "[]").path("result").asLong()).isEqualTo(1);
  }
}
