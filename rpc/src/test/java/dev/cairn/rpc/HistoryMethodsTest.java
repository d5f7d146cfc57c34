package dev.cairn.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.MerkleProof;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.ReceiptCode;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.Validation;
import dev.cairn.rpc.client.RpcClient;
import dev.cairn.rpc.client.RpcError;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * History and inclusion over a real server: account and record history pages and their cursors, block
 * receipts, transaction proofs that verify against the header's roots, and the errors of hostile params.
 */
class HistoryMethodsTest {
  private final KeyPair alice = KeyPair.fromSeedText("alice");
  private final KeyPair bob = KeyPair.fromSeedText("bob");
  private final KeyPair carol = KeyPair.fromSeedText("carol");
  private RpcTestServer rpc;
  private RpcClient client;
  private final List<Transaction> sent = new ArrayList<>();

  @BeforeEach
  void start() {
    rpc = new RpcTestServer(RpcTestServer.testConfig().withHistoryEntriesReturnedMax(4));
    client = new RpcClient(rpc.uri(), Duration.ofSeconds(10));
    // Seven blocks: alice pays bob in each, puts "doc" in every other one, grants carol a role once (failing).
    long nonce = 0;
    for (int b = 0; b < 7; b++) {
      List<Transaction> txs = new ArrayList<>();
      List<ReceiptCode> codes = new ArrayList<>();
      txs.add(Transaction.sign(InMemoryNode.CHAIN_ID, alice, nonce++, new Payload.Transfer(bob.address(), 10 + b)));
      codes.add(ReceiptCode.OK);
      if (b % 2 == 0) {
        txs.add(Transaction.sign(InMemoryNode.CHAIN_ID, alice, nonce++,
            new Payload.RecordPut("doc", Bytes.wrap(("v" + b).getBytes(StandardCharsets.UTF_8)))));
        codes.add(ReceiptCode.OK);
      }
      if (b == 3) {
        txs.add(Transaction.sign(InMemoryNode.CHAIN_ID, alice, nonce++, new Payload.RoleGrant(carol.address(), Role.ADMIN)));
        codes.add(ReceiptCode.NOT_AN_ADMIN);
      }
      sent.addAll(txs);
      rpc.node.finalizeBlock(txs, codes);
    }
  }

  @AfterEach
  void stop() {
    rpc.close();
  }

  private static int errorCode(Runnable call) {
    try {
      call.run();
    } catch (RpcError e) {
      return e.code();
    }
    throw new AssertionError("expected an RpcError");
  }

  private static String errorParam(Runnable call) {
    try {
      call.run();
    } catch (RpcError e) {
      assertThat(e.code()).isEqualTo(-32602);
      return e.data().path("param").asText();
    }
    throw new AssertionError("expected an RpcError");
  }

  @Test
  void accountHistoryPagesNewestFirstThroughItsCursor() {
    List<JsonNode> entries = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    int pages = 0;
    do {
      JsonNode page = client.getAccountHistory(alice.address(), cursor, OptionalInt.of(3));
      assertThat(page.path("address").asText()).isEqualTo(alice.address().toText());
      assertThat(page.path("entries").size()).isLessThanOrEqualTo(3);
      page.path("entries").forEach(entries::add);
      cursor = page.path("nextCursor").isNull() ? Optional.empty() : Optional.of(page.path("nextCursor").asText());
      pages++;
    } while (cursor.isPresent());
    assertThat(pages).isEqualTo(4); // 12 transactions in pages of 3, the last one promising nothing more
    List<String> expected = new ArrayList<>();
    sent.forEach(tx -> expected.add(0, "0x" + tx.id().toHex()));
    assertThat(entries).extracting(e -> e.path("txId").asText()).isEqualTo(expected);
    JsonNode newest = entries.get(0);
    assertThat(newest.path("blockHeight").asLong()).isEqualTo(7);
    assertThat(newest.path("timestampMillis").asLong()).isEqualTo(1_700_000_000_000L + 7_000);
    assertThat(newest.path("parties").toString()).isEqualTo("[\"sender\"]");
    assertThat(newest.path("index").asInt()).isEqualTo(1);
    assertThat(newest.path("transaction").path("kind").asText()).isEqualTo("record_put");
    assertThat(entries.get(1).path("transaction").path("payload").path("amount").asText()).isEqualTo("16");
    assertThat(newest.path("status").asText()).isEqualTo("success");

    // Bob only received; carol is the target of a failed grant.
    JsonNode bobs = client.getAccountHistory(bob.address(), Optional.empty(), OptionalInt.empty());
    assertThat(bobs.path("entries").size()).as("the default page is historyEntriesReturnedMax").isEqualTo(4);
    assertThat(bobs.path("entries").get(0).path("parties").toString()).isEqualTo("[\"recipient\"]");
    JsonNode carols = client.getAccountHistory(carol.address(), Optional.empty(), OptionalInt.empty());
    assertThat(carols.path("entries").size()).isEqualTo(1);
    assertThat(carols.path("entries").get(0).path("parties").toString()).isEqualTo("[\"role_target\"]");
    assertThat(carols.path("entries").get(0).path("codeName").asText()).isEqualTo("not_an_admin");
    assertThat(carols.path("nextCursor").isNull()).isTrue();
    JsonNode nobody = client.getAccountHistory(KeyPair.fromSeedText("nobody").address(), Optional.empty(), OptionalInt.empty());
    assertThat(nobody.path("entries").size()).isZero();
  }

  @Test
  void recordHistoryListsEveryValueWithItsTransactionAndTime() {
    JsonNode page = client.getRecordHistory(alice.address(), "doc", Optional.empty(), OptionalInt.of(4));
    assertThat(page.path("owner").asText()).isEqualTo(alice.address().toText());
    assertThat(page.path("key").asText()).isEqualTo("doc");
    List<String> values = new ArrayList<>();
    page.path("entries").forEach(e -> values.add(new String(Bytes.fromHex(e.path("value").asText()).toArray(), StandardCharsets.UTF_8)));
    assertThat(values).containsExactly("v6", "v4", "v2", "v0");
    assertThat(page.path("nextCursor").isNull()).as("exactly four puts, no promise of more").isTrue();
    JsonNode oldest = page.path("entries").get(3);
    assertThat(oldest.path("blockHeight").asLong()).isEqualTo(1);
    assertThat(oldest.path("index").asInt()).isEqualTo(1);
    assertThat(oldest.path("timestampMillis").asLong()).isEqualTo(1_700_000_001_000L);
    assertThat(client.getTransaction(oldest.path("txId").asText()).orElseThrow().path("payload").path("key").asText())
        .isEqualTo("doc");
    assertThat(client.getRecordHistory(alice.address(), "do", Optional.empty(), OptionalInt.empty()).path("entries").size())
        .isZero();
    JsonNode second = client.getRecordHistory(alice.address(), "doc", Optional.empty(), OptionalInt.of(2));
    JsonNode rest = client.getRecordHistory(alice.address(), "doc", Optional.of(second.path("nextCursor").asText()), OptionalInt.of(2));
    assertThat(rest.path("entries").get(0).path("blockHeight").asLong()).isEqualTo(3);
  }

  @Test
  void hostileCursorsAndLimitsGetASpecificInvalidParam() {
    Address a = alice.address();
    for (String cursor : List.of("0x", "0x00", "0x" + "00".repeat(13), "abc", "0x" + "zz".repeat(12),
        "0x8000000000000000" + "00000000", "0x0000000000000001" + "000186a0", "0x0000000000000001" + "ffffffff")) {
      assertThat(errorParam(() -> client.getAccountHistory(a, Optional.of(cursor), OptionalInt.empty())))
          .as(cursor).isEqualTo("cursor");
    }
    assertThat(errorParam(() -> client.call("cairn_getAccountHistory", a.toText(), 12, 1))).isEqualTo("cursor");
    assertThat(errorParam(() -> client.getAccountHistory(a, Optional.empty(), OptionalInt.of(0)))).isEqualTo("limit");
    assertThat(errorParam(() -> client.getAccountHistory(a, Optional.empty(), OptionalInt.of(5)))).isEqualTo("limit");
    assertThat(errorParam(() -> client.call("cairn_getAccountHistory", a.toText(), null, -1))).isEqualTo("limit");
    assertThat(errorParam(() -> client.call("cairn_getAccountHistory", "cairn1nope"))).isEqualTo("address");
    assertThat(errorParam(() -> client.getRecordHistory(a, "", Optional.empty(), OptionalInt.empty()))).isEqualTo("key");
    assertThat(errorParam(() -> client.getRecordHistory(a, "k".repeat(257), Optional.empty(), OptionalInt.empty())))
        .isEqualTo("key");
    // A well-formed cursor from another node (higher head, or between entries) is only a position: it pages.
    JsonNode far = client.getAccountHistory(a, Optional.of("0x00000000000f4240" + "00000000"), OptionalInt.of(1));
    assertThat(far.path("entries").get(0).path("blockHeight").asLong()).isEqualTo(7);
  }

  @Test
  void blockReceiptsComeInTransactionOrderByHeightOrHash() {
    JsonNode byHeight = client.getBlockReceipts(4);
    assertThat(byHeight.path("height").asLong()).isEqualTo(4);
    assertThat(byHeight.path("receipts")).hasSize(2);
    assertThat(byHeight.path("receipts").get(1).path("codeName").asText()).isEqualTo("not_an_admin");
    assertThat(byHeight.path("receipts").get(1).path("index").asInt()).isEqualTo(1);
    JsonNode byHash = client.call("cairn_getBlockReceipts", byHeight.path("hash").asText());
    assertThat(byHash).isEqualTo(byHeight);
    assertThat(client.call("cairn_getBlockReceipts", "latest").path("height").asLong()).isEqualTo(7);
    assertThat(errorCode(() -> client.getBlockReceipts(99))).isEqualTo(-32021);
    assertThat(errorCode(() -> client.call("cairn_getBlockReceipts", "0x" + "11".repeat(32)))).isEqualTo(-32021);
    assertThat(errorParam(() -> client.call("cairn_getBlockReceipts", "0x12"))).isEqualTo("block");
  }

  @Test
  void aTransactionProofVerifiesAgainstTheSealedHeader() {
    Transaction grant = sent.get(6); // block 4, index 1 of 2
    JsonNode proof = client.getTransactionProof("0x" + grant.id().toHex());
    BlockHeader header = LedgerCodec.decodeHeader(Bytes.fromHex(proof.path("header").path("encoded").asText()).toArray());
    assertThat(header.height()).isEqualTo(4);
    assertThat(proof.path("blockHash").asText()).isEqualTo("0x" + header.hash().toHex());
    Transaction tx = TransactionCodec.decode(Bytes.fromHex(proof.path("transaction").asText()));
    assertThat(tx).isEqualTo(grant);
    Receipt receipt = LedgerCodec.decodeReceipt(Bytes.fromHex(proof.path("receipt").asText()).toArray());
    assertThat(receipt).isEqualTo(new Receipt(grant.id(), ReceiptCode.NOT_AN_ADMIN));
    MerkleProof txProof = merkleProof(proof.path("txProof"));
    assertThat(txProof.index()).isEqualTo(1);
    assertThat(txProof.leafCount()).isEqualTo(2);
    assertThat(txProof.verifyTransaction(header.txRoot(), grant.id())).isEqualTo(Validation.VALID);
    assertThat(merkleProof(proof.path("receiptProof")).verifyReceipt(header.receiptsRoot(), receipt)).isEqualTo(Validation.VALID);
    assertThat(proof.path("certificate").path("seals")).hasSize(4);
    assertThat(proof.path("validators").path("quorum").asInt()).isEqualTo(3);
    // A block of one transaction has an empty path.
    JsonNode single = client.getTransactionProof("0x" + sent.get(2).id().toHex());
    assertThat(single.path("txProof").path("siblings")).isEmpty();

    assertThat(errorCode(() -> client.getTransactionProof("0x" + Hash.ZERO.toHex()))).isEqualTo(-32020);
    Transaction pending = Transaction.sign(InMemoryNode.CHAIN_ID, alice, 12, new Payload.Transfer(bob.address(), 1));
    rpc.node.setAccount(alice.address(), new dev.cairn.ledger.model.Account(100, 12, java.util.Set.of(Role.MEMBER)));
    client.call("cairn_sendTransaction", "0x" + TransactionCodec.encode(pending).toHex());
    try {
      client.getTransactionProof("0x" + pending.id().toHex());
      throw new AssertionError("a pending transaction has no proof");
    } catch (RpcError e) {
      assertThat(e.code()).isEqualTo(-32020);
      assertThat(e.getMessage()).contains("pending");
    }
  }

  private static MerkleProof merkleProof(JsonNode json) {
    List<Hash> siblings = new ArrayList<>();
    json.path("siblings").forEach(s -> siblings.add(Hash.fromHex(s.asText())));
    return new MerkleProof(json.path("index").asInt(), json.path("leafCount").asInt(), siblings);
  }
}
