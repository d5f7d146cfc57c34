package dev.cairn.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.ReceiptCode;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The schemas describe what the server really answers: every method is called on a real server over a chain
 * with real blocks, transactions, records, history and proofs, and each result must satisfy the result schema
 * its OpenRPC document publishes, each subscription notification its x-cairn-notification schema (the schemas
 * forbid members they do not name, so a new field in an answer fails here until it is described). A method without
 * a live call here fails too. The admin namespace is on, over a {@link FixedNodeAdmin} (the node module's AdminApiTest
 * holds the real node's answers to the same schemas).
 */
class OpenRpcLiveAnswersTest {
  private static final OpenRpcSchemas SCHEMAS = new OpenRpcSchemas();
  private final KeyPair alice = KeyPair.fromSeedText("alice");
  private final KeyPair bob = KeyPair.fromSeedText("bob");
  private final Set<String> called = new TreeSet<>();
  private RpcTestServer rpc;
  private JsonNode document;

  @BeforeEach
  void start() {
    rpc = RpcTestServer.withAdmin(RpcConfig.defaults());
    document = rpc.server.discoverDocument();
  }

  @AfterEach
  void stop() {
    rpc.close();
  }

  private static String hex(Transaction tx) {
    return "\"0x" + TransactionCodec.encode(tx).toHex() + "\"";
  }

  private static String id(Transaction tx) {
    return "\"0x" + tx.id().toHex() + "\"";
  }

  @Test
  void everyAnswerSatisfiesItsPublishedResultSchema() {
    String a = "\"" + alice.address().toText() + "\"";
    String b = "\"" + bob.address().toText() + "\"";
    // Nonce 5: alice's five transactions below are final, her pending put carries the next one.
    rpc.node.setAccount(alice.address(), new Account(1_000_000, 5, Set.of(Role.MEMBER, Role.ADMIN)));
    rpc.node.setRecord(alice.address(), "doc/1", Bytes.wrap("hello".getBytes(StandardCharsets.UTF_8)));
    Transaction transfer = Transaction.sign(InMemoryNode.CHAIN_ID, alice, 0, new Payload.Transfer(bob.address(), 5));
    Transaction grant = Transaction.sign(InMemoryNode.CHAIN_ID, alice, 1, new Payload.RoleGrant(bob.address(), Role.MEMBER));
    Transaction vote = Transaction.sign(InMemoryNode.CHAIN_ID, alice, 2,
        new Payload.ValidatorVote(bob.publicKey(), Payload.VoteAction.ADD));
    FinalizedBlock block = rpc.node.finalizeBlock(List.of(transfer, grant, vote),
        List.of(ReceiptCode.OK, ReceiptCode.OK, ReceiptCode.NOT_A_VALIDATOR));
    // History: alice writes doc/1 twice around a payment back from bob, so both have entries of every party kind.
    Transaction draft = Transaction.sign(InMemoryNode.CHAIN_ID, alice, 3, new Payload.RecordPut("doc/1", Bytes.wrap(new byte[] {7})));
    Transaction refund = Transaction.sign(InMemoryNode.CHAIN_ID, bob, 0, new Payload.Transfer(alice.address(), 2));
    Transaction hello = Transaction.sign(InMemoryNode.CHAIN_ID, alice, 4,
        new Payload.RecordPut("doc/1", Bytes.wrap("hello".getBytes(StandardCharsets.UTF_8))));
    rpc.node.finalizeBlock(List.of(draft, refund, hello), List.of(ReceiptCode.OK, ReceiptCode.OK, ReceiptCode.OK));
    Transaction put = Transaction.sign(InMemoryNode.CHAIN_ID, alice, 5,
        new Payload.RecordPut("doc/2", Bytes.wrap(new byte[] {1, 2})));

    check("cairn_chainId", "[]");
    check("cairn_blockNumber", "[]");
    check("cairn_sendTransaction", "[" + hex(put) + "]");
    check("cairn_getTransaction", "[" + id(transfer) + "]");
    check("cairn_getTransaction", "[" + id(put) + "]");
    check("cairn_getReceipt", "[" + id(vote) + "]");
    check("cairn_getReceipt", "[" + id(put) + "]");
    check("cairn_getBlockByNumber", "[1, true]");
    check("cairn_getBlockByNumber", "[\"latest\"]");
    check("cairn_getBlockByHash", "[\"0x" + block.block().hash().toHex() + "\", false]");
    check("cairn_getAccount", "[" + a + "]");
    check("cairn_getRecord", "[" + a + ", \"doc/1\"]");
    check("cairn_getRecord", "[" + a + ", \"doc/9\"]");
    check("cairn_validators", "[\"earliest\"]");
    check("cairn_getProof", "[" + a + ", null, 1]");
    check("cairn_getProof", "[" + a + ", \"doc/1\", 1]");
    rpc.node.setTally(new Payload.ValidatorVote(bob.publicKey(), Payload.VoteAction.ADD),
        new dev.cairn.ledger.model.VoteTally(List.of(rpc.node.validatorKeys.get(1).publicKey())));
    rpc.node.finalizeBlock(List.of(), List.of());
    JsonNode votes = check("cairn_getValidatorVotes", "[]");
    assertThat(votes.get("votes")).hasSize(1);
    checkHistory(a, b);
    check("cairn_getBlockReceipts", "[1]");
    check("cairn_getBlockReceipts", "[\"0x" + block.block().hash().toHex() + "\"]");
    check("cairn_getBlockReceipts", "[\"earliest\"]");
    JsonNode first = check("cairn_getTransactionProof", "[" + id(transfer) + "]");
    JsonNode promoted = check("cairn_getTransactionProof", "[" + id(hello) + "]");
    assertThat(first.get("txProof").get("siblings")).as("leaf 0 of 3: two siblings").hasSize(2);
    assertThat(promoted.get("txProof").get("siblings")).as("leaf 2 of 3 is promoted once: one sibling").hasSize(1);
    check("cairn_nodeInfo", "[]");
    check("cairn_syncing", "[]");
    rpc.node.syncState = new NodeStatus.SyncState.Syncing(0, 1, 40);
    check("cairn_syncing", "[]");
    check("cairn_pendingTransactions", "[10]");
    check("rpc.discover", "[]");
    String observer = "[\"" + FixedNodeAdmin.OBSERVER_PEER + "\"]";
    check("admin_peers", "[]");
    check("admin_addPeer", observer);
    check("admin_addPeer", observer);
    check("admin_nodeInfo", "[]");
    check("admin_removePeer", observer);
    check("admin_validatorVotes", "[]");
    check("admin_evidence", "[]");
    check("admin_evidence", "[1]");
    check("admin_setLogLevel", "[\"ROOT\", \"warn\"]");
    check("admin_setLogLevel", "[\"dev.cairn.p2p\", \"DEBUG\"]");
    checkSubscriptions(a, put);

    Set<String> documented = new TreeSet<>();
    document.get("methods").forEach(m -> documented.add(m.get("name").asText()));
    assertThat(called).as("methods called live here (add a call for a new method)").isEqualTo(documented);
  }

  /** Pages of both histories, paged through: each page fits the schema and the pages join up to the whole. */
  private void checkHistory(String a, String b) {
    JsonNode whole = check("cairn_getAccountHistory", "[" + a + "]");
    assertThat(whole.get("entries")).hasSize(6);
    assertThat(whole.get("nextCursor").isNull()).isTrue();
    List<String> paged = new ArrayList<>();
    JsonNode page = check("cairn_getAccountHistory", "[" + a + ", null, 4]");
    page.get("entries").forEach(e -> paged.add(e.get("txId").asText()));
    assertThat(page.get("nextCursor").isTextual()).as("a full page with older entries left").isTrue();
    page = check("cairn_getAccountHistory", "{\"address\": " + a + ", \"cursor\": " + page.get("nextCursor") + ", \"limit\": 4}");
    page.get("entries").forEach(e -> paged.add(e.get("txId").asText()));
    assertThat(page.get("nextCursor").isNull()).isTrue();
    List<String> all = new ArrayList<>();
    whole.get("entries").forEach(e -> all.add(e.get("txId").asText()));
    assertThat(paged).isEqualTo(all);
    Set<String> bobParties = new TreeSet<>();
    check("cairn_getAccountHistory", "[" + b + "]").get("entries")
        .forEach(e -> e.get("parties").forEach(p -> bobParties.add(p.asText())));
    assertThat(bobParties).containsExactlyInAnyOrder("sender", "recipient", "role_target", "validator_target");
    assertThat(check("cairn_getRecordHistory", "[" + a + ", \"doc/1\"]").get("entries")).hasSize(2);
    assertThat(check("cairn_getRecordHistory", "[" + a + ", \"doc/1\", null, 1]").get("nextCursor").isTextual()).isTrue();
    check("cairn_getRecordHistory", "[" + a + ", \"doc/9\"]");
  }

  /**
   * Every kind of subscription, and one block that notifies each: every notification satisfies the
   * x-cairn-notification schema cairn_subscribe publishes, and each kind's shape turns up.
   */
  private void checkSubscriptions(String a, Transaction put) {
    JsonNode notificationSchema = method("cairn_subscribe").get("x-cairn-notification");
    try (WsTestClient ws = new WsTestClient(rpc.wsUri())) {
      JsonNode heads = checkOver(ws.call("cairn_subscribe", "[\"newHeads\"]"), "cairn_subscribe");
      checkOver(ws.call("cairn_subscribe", "[\"txFinalized\", " + id(put) + "]"), "cairn_subscribe");
      checkOver(ws.call("cairn_subscribe", "[\"account\", " + a + "]"), "cairn_subscribe");
      checkOver(ws.call("cairn_subscribe", "[\"record\", " + a + ", \"doc/2\"]"), "cairn_subscribe");
      rpc.node.finalizeBlock(List.of(put), List.of(ReceiptCode.OK));
      Set<String> kinds = new TreeSet<>();
      for (int i = 0; i < 4; i++) {
        JsonNode notification = ws.next();
        assertThat(SCHEMAS.errors(document, notificationSchema, notification)).as("notification " + notification).isEmpty();
        JsonNode result = notification.get("params").get("result");
        kinds.add(result.has("parentHash") ? "newHeads" : result.has("parties") ? "account"
            : result.has("owner") ? "record" : "txFinalized");
      }
      assertThat(kinds).containsExactlyInAnyOrder("newHeads", "txFinalized", "account", "record");
      checkOver(ws.call("cairn_unsubscribe", "[\"" + heads.asText() + "\"]"), "cairn_unsubscribe");
    }
  }

  private JsonNode method(String name) {
    for (JsonNode m : document.get("methods")) {
      if (m.get("name").asText().equals(name)) {
        return m;
      }
    }
    throw new AssertionError(name + " is not documented");
  }

  private JsonNode check(String method, String params) {
    return checkOver(rpc.call(method, params), method);
  }

  private JsonNode checkOver(JsonNode answer, String method) {
    assertThat(answer.has("error")).as(method + " answered " + answer.path("error")).isFalse();
    assertThat(SCHEMAS.resultErrors(document, method, answer.get("result"))).as(method + " result").isEmpty();
    called.add(method);
    return answer.get("result");
  }
}
