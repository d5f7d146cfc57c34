package dev.cairn.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.ReceiptCode;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.state.StateProof;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import dev.cairn.rpc.client.RpcClient;
import dev.cairn.rpc.client.RpcError;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cairn_* methods through the typed client: results, JSON shapes and every application error code. */
class CairnMethodsTest {
  private final KeyPair alice = KeyPair.fromSeedText("alice");
  private final KeyPair bob = KeyPair.fromSeedText("bob");
  private RpcTestServer rpc;
  private RpcClient client;

  @BeforeEach
  void start() {
    rpc = new RpcTestServer(RpcTestServer.testConfig());
    client = new RpcClient(rpc.uri(), Duration.ofSeconds(10));
    rpc.node.setAccount(alice.address(), new Account(Long.MAX_VALUE, 0, Set.of(Role.MEMBER, Role.ADMIN)));
  }

  @AfterEach
  void stop() {
    rpc.close();
  }

  private static String hex(Transaction tx) {
    return "0x" + TransactionCodec.encode(tx).toHex();
  }

  private Transaction transfer(KeyPair from, long nonce, long amount) {
    return Transaction.sign(InMemoryNode.CHAIN_ID, from, nonce, new Payload.Transfer(bob.address(), amount));
  }

  private static int errorCode(Runnable call) {
    try {
      call.run();
    } catch (RpcError e) {
      return e.code();
    }
    throw new AssertionError("expected an RpcError");
  }

  @Test
  void sendTransactionReturnsTheTxIdAndTheTxIsPending() {
    Transaction tx = transfer(alice, 0, 5);
    JsonNode id = client.call("cairn_sendTransaction", hex(tx));
    assertThat(id.asText()).isEqualTo("0x" + tx.id().toHex());
    JsonNode pending = client.call("cairn_getTransaction", id.asText());
    assertThat(pending.path("status").asText()).isEqualTo("pending");
    assertThat(pending.path("blockHeight").isNull()).isTrue();
    JsonNode list = client.call("cairn_pendingTransactions");
    assertThat(list.path("count").asInt()).isEqualTo(1);
    assertThat(list.path("transactions").get(0).path("id").asText()).isEqualTo(id.asText());
    assertThat(client.call("cairn_getReceipt", id.asText()).isNull()).as("no receipt while pending").isTrue();
  }

  @Test
  void everyMempoolRejectionHasItsOwnCode() {
    assertThat(errorCode(() -> client.call("cairn_sendTransaction", "0x0102"))).isEqualTo(-32000);
    Transaction otherChain = Transaction.sign("other-chain", alice, 0, new Payload.Transfer(bob.address(), 1));
    assertThat(errorCode(() -> client.call("cairn_sendTransaction", hex(otherChain)))).isEqualTo(-32001);
    Transaction good = transfer(alice, 0, 1);
    byte[] sig = good.signature().bytes().toArray();
    sig[0] ^= 1;
    Transaction forged = new Transaction(good.chainId(), good.sender(), 0, good.payload(), new Signature(Bytes.wrap(sig)));
    assertThat(errorCode(() -> client.call("cairn_sendTransaction", hex(forged)))).isEqualTo(-32002);
    assertThat(errorCode(() -> client.call("cairn_sendTransaction", hex(transfer(bob, 0, 1))))).isEqualTo(-32003);
    rpc.node.setAccount(alice.address(), new Account(10, 3, Set.of(Role.MEMBER)));
    assertThat(errorCode(() -> client.call("cairn_sendTransaction", hex(transfer(alice, 2, 1))))).isEqualTo(-32004);
    assertThat(errorCode(() -> client.call("cairn_sendTransaction", hex(transfer(alice, 30, 1))))).isEqualTo(-32005);
    assertThat(errorCode(() -> client.call("cairn_sendTransaction", hex(transfer(alice, 3, 11))))).isEqualTo(-32008);
    client.call("cairn_sendTransaction", hex(transfer(alice, 3, 1)));
    assertThat(errorCode(() -> client.call("cairn_sendTransaction", hex(transfer(alice, 3, 1))))).isEqualTo(-32007);
    for (int i = 1; i < InMemoryNode.MEMPOOL_CAPACITY; i++) {
      KeyPair member = KeyPair.fromSeedText("member" + i);
      rpc.node.setAccount(member.address(), new Account(10, 0, Set.of(Role.MEMBER)));
      client.call("cairn_sendTransaction", hex(transfer(member, 0, 1)));
    }
    RpcError full = (RpcError) org.assertj.core.api.Assertions.catchThrowable(
        () -> client.call("cairn_sendTransaction", hex(transfer(alice, 4, 1))));
    assertThat(full.code()).isEqualTo(-32009);
    assertThat(full.data().path("reason").asText()).isEqualTo("mempool_full");
  }

  @Test
  void finalizedTransactionHasReceiptBlockAndPosition() {
    Transaction first = transfer(alice, 0, 5);
    Transaction second = Transaction.sign(InMemoryNode.CHAIN_ID, alice, 1, new Payload.RecordPut("doc", Bytes.fromHex("cafe")));
    rpc.node.finalizeBlock(List.of(first, second), List.of(ReceiptCode.OK, ReceiptCode.NOT_A_MEMBER));
    JsonNode receipt = client.call("cairn_getReceipt", "0x" + second.id().toHex());
    assertThat(receipt.path("status").asText()).isEqualTo("failed");
    assertThat(receipt.path("code").asInt()).isEqualTo(1);
    assertThat(receipt.path("codeName").asText()).isEqualTo("not_a_member");
    assertThat(receipt.path("blockHeight").asLong()).isEqualTo(1);
    assertThat(receipt.path("index").asInt()).isEqualTo(1);
    JsonNode block = client.call("cairn_getBlockByNumber", "latest", true);
    assertThat(receipt.path("blockHash").asText()).isEqualTo(block.path("hash").asText());
    assertThat(block.path("height").asLong()).isEqualTo(1);
    assertThat(block.path("transactions").get(0).path("payload").path("amount").asText()).isEqualTo("5");
    assertThat(block.path("transactions").get(1).path("payload").path("value").asText()).isEqualTo("0xcafe");
    assertThat(block.path("transactions").get(1).path("kind").asText()).isEqualTo("record_put");
    JsonNode byHash = client.call("cairn_getBlockByHash", block.path("hash").asText());
    assertThat(byHash.path("transactions").get(0).asText()).isEqualTo("0x" + first.id().toHex());
    JsonNode tx = client.call("cairn_getTransaction", "0x" + first.id().toHex());
    assertThat(tx.path("status").asText()).isEqualTo("final");
    assertThat(tx.path("from").asText()).isEqualTo(alice.address().toText());
    assertThat(tx.path("payload").path("to").asText()).isEqualTo(bob.address().toText());
    assertThat(tx.path("raw").asText()).isEqualTo(hex(first));
    assertThat(client.call("cairn_blockNumber").asLong()).isEqualTo(1);
  }

  @Test
  void unknownTransactionAndBlock() {
    String absent = "0x" + "11".repeat(32);
    assertThat(errorCode(() -> client.call("cairn_getTransaction", absent))).isEqualTo(-32020);
    assertThat(errorCode(() -> client.call("cairn_getReceipt", absent))).isEqualTo(-32020);
    assertThat(errorCode(() -> client.call("cairn_getBlockByHash", absent))).isEqualTo(-32021);
    assertThat(errorCode(() -> client.call("cairn_getBlockByNumber", 99))).isEqualTo(-32021);
    assertThat(errorCode(() -> client.call("cairn_validators", 99))).isEqualTo(-32021);
    assertThat(errorCode(() -> client.call("cairn_getProof", alice.address().toText(), null, 99))).isEqualTo(-32021);
    rpc.node.finalizeBlock(List.of(), List.of());
    rpc.node.stateKeptFromHeight = 1;
    assertThat(errorCode(() -> client.call("cairn_getProof", alice.address().toText(), null, 0))).isEqualTo(-32022);
    assertThat(client.call("cairn_getProof", alice.address().toText(), null, 1).path("kind").asText()).isEqualTo("account");
  }

  @Test
  void accountBalanceIsADecimalStringAndRolesAreNamed() {
    JsonNode account = client.call("cairn_getAccount", alice.address().toText());
    assertThat(account.path("balance").isTextual()).isTrue();
    assertThat(account.path("balance").asText()).isEqualTo(Long.toString(Long.MAX_VALUE));
    assertThat(account.path("nonce").asLong()).isZero();
    assertThat(account.path("roles")).extracting(JsonNode::asText).containsExactly("member", "admin");
    JsonNode empty = client.call("cairn_getAccount", bob.address().toText());
    assertThat(empty.path("balance").asText()).isEqualTo("0");
    assertThat(empty.path("roles")).isEmpty();
  }

  @Test
  void recordIsReadByOwnerAndKeyByPositionOrName() {
    rpc.node.setRecord(alice.address(), "doc/1", Bytes.fromHex("0badf00d"));
    JsonNode record = client.call("cairn_getRecord", alice.address().toText(), "doc/1");
    assertThat(record.path("value").asText()).isEqualTo("0x0badf00d");
    JsonNode named = client.call("cairn_getRecord", RpcTestServer.MAPPER.createObjectNode()
        .put("owner", alice.address().toText()).put("key", "doc/1"));
    assertThat(named).isEqualTo(record);
    assertThat(client.call("cairn_getRecord", alice.address().toText(), "nope").isNull()).isTrue();
  }

  @Test
  void nodeInfoSyncingAndValidators() {
    JsonNode info = client.call("cairn_nodeInfo");
    assertThat(info.path("chainId").asText()).isEqualTo(InMemoryNode.CHAIN_ID);
    assertThat(info.path("validator").asBoolean()).isTrue();
    assertThat(info.path("peerCount").asInt()).isEqualTo(3);
    assertThat(client.call("cairn_syncing").isBoolean()).isTrue();
    rpc.node.syncState = new NodeStatus.SyncState.Syncing(0, 5, 9);
    assertThat(client.call("cairn_syncing").path("highestHeight").asLong()).isEqualTo(9);
    JsonNode validators = client.call("cairn_validators");
    assertThat(validators.path("validators")).hasSize(4);
    assertThat(validators.path("quorum").asInt()).isEqualTo(3);
    assertThat(validators.path("hash").asText()).isEqualTo("0x" + rpc.node.validatorSet.hash().toHex());
    assertThat(errorCode(() -> client.call("cairn_pendingTransactions", 101))).isEqualTo(-32602);
  }

  /** The race a polling wallet hit against the real node: the block is committed between the two reads. */
  @Test
  void aTransactionFinalizedBetweenTheChainAndPendingReadsIsNotReportedUnknown() {
    Transaction first = transfer(alice, 0, 5);
    client.call("cairn_sendTransaction", hex(first));
    rpc.node.beforeNextPendingRead = () -> rpc.node.finalizeBlock(rpc.node.takePending(), List.of(ReceiptCode.OK));
    assertThat(client.call("cairn_getReceipt", "0x" + first.id().toHex()).path("status").asText()).isEqualTo("success");

    Transaction second = transfer(alice, 1, 5);
    client.call("cairn_sendTransaction", hex(second));
    rpc.node.beforeNextPendingRead = () -> rpc.node.finalizeBlock(rpc.node.takePending(), List.of(ReceiptCode.OK));
    assertThat(client.call("cairn_getTransaction", "0x" + second.id().toHex()).path("status").asText()).isEqualTo("final");
  }

  @Test
  void accountReportsThePendingNonceTheNodeComputes() {
    JsonNode account = client.call("cairn_getAccount", alice.address().toText());
    assertThat(account.has("pendingNonce")).isTrue();
    assertThat(account.path("pendingNonce").asLong()).as("NodeStatus default: the state nonce").isEqualTo(account.path("nonce").asLong());
  }

  /** What a wallet does with getProof: trust only the validator set, verify everything else. */
  @Test
  void proofVerifiesAgainstACertifiedHeaderTrustingOnlyTheValidatorSet() {
    rpc.node.setRecord(alice.address(), "doc", Bytes.fromHex("d0c5"));
    rpc.node.finalizeBlock(List.of(), List.of());
    ValidatorSet trusted = rpc.node.validatorSet;

    JsonNode account = client.call("cairn_getProof", alice.address().toText(), null, "latest");
    assertThat(account.path("kind").asText()).isEqualTo("account");
    assertThat(account.path("stateKey").asText()).isEqualTo("0x" + StateKeys.account(alice.address()).toHex());
    assertThat(account.path("value").asText())
        .isEqualTo("0x" + Bytes.wrap(LedgerCodec.encode(rpc.node.account(alice.address()))).toHex());
    assertThat(verify(account, trusted)).isTrue();

    JsonNode record = client.call("cairn_getProof", alice.address().toText(), "doc", 1);
    assertThat(record.path("kind").asText()).isEqualTo("record");
    assertThat(record.path("value").asText()).isEqualTo("0xd0c5");
    assertThat(verify(record, trusted)).isTrue();

    JsonNode absent = client.call("cairn_getProof", bob.address().toText(), null, 1);
    assertThat(absent.path("value").isNull()).isTrue();
    assertThat(verify(absent, trusted)).as("absence is proven too").isTrue();

    // At genesis (height 0) alice's record did not exist yet: the same claim against that root fails.
    JsonNode before = client.call("cairn_getProof", alice.address().toText(), "doc", 0);
    assertThat(before.path("value").isNull()).isTrue();
    ObjectNode forged = record.deepCopy();
    forged.set("header", before.get("header"));
    forged.set("certificate", before.get("certificate"));
    assertThat(verify(forged, trusted)).isFalse();
  }

  /** Pending votes come with proofs of each tally and of the set that counts them; a forged tally fails. */
  @Test
  void validatorVotesProveEachTallyAndTheCountingSet() {
    List<KeyPair> keys = rpc.node.validatorKeys;
    Payload.ValidatorVote add = new Payload.ValidatorVote(bob.publicKey(), Payload.VoteAction.ADD);
    Payload.ValidatorVote applied = new Payload.ValidatorVote(alice.publicKey(), Payload.VoteAction.ADD);
    rpc.node.setTally(add, new dev.cairn.ledger.model.VoteTally(List.of(keys.get(0).publicKey(), keys.get(3).publicKey())));
    rpc.node.finalizeBlock(List.of(), List.of());
    // The index still names a change whose tally state no longer holds: it is left out, not answered empty.
    rpc.node.setTally(applied, new dev.cairn.ledger.model.VoteTally(List.of(keys.get(1).publicKey())));
    JsonNode answer = client.call("cairn_getValidatorVotes");
    ValidatorSet trusted = rpc.node.validatorSet;

    assertThat(answer.path("height").asLong()).isEqualTo(rpc.node.headHeight());
    assertThat(answer.path("more").asBoolean()).isFalse();
    assertThat(answer.path("votes")).hasSize(1);
    JsonNode vote = answer.path("votes").get(0);
    assertThat(vote.path("candidate").asText()).isEqualTo("0x" + bob.publicKey().toHex());
    assertThat(vote.path("action").asText()).isEqualTo("add");
    assertThat(vote.path("stateKey").asText()).isEqualTo("0x" + StateKeys.vote(bob.publicKey(), Payload.VoteAction.ADD).toHex());
    assertThat(vote.path("votesCounted").asInt()).isEqualTo(2);
    assertThat(vote.path("validators").asInt()).isEqualTo(4);
    assertThat(vote.path("votesNeeded").asInt()).isEqualTo(3);
    assertThat(verify(withHeader(answer, vote), trusted)).isTrue();
    JsonNode set = answer.path("validatorSet");
    assertThat(set.path("stateKey").asText()).isEqualTo("0x" + StateKeys.VALIDATOR_SET.toHex());
    assertThat(set.path("value").asText()).isEqualTo("0x" + Bytes.wrap(LedgerCodec.encode(trusted)).toHex());
    assertThat(verify(withHeader(answer, set), trusted)).isTrue();

    ObjectNode forged = withHeader(answer, vote);
    forged.put("value", "0x" + Bytes.wrap(LedgerCodec.encode(new dev.cairn.ledger.model.VoteTally(
        List.of(keys.get(0).publicKey(), keys.get(1).publicKey(), keys.get(3).publicKey())))).toHex());
    assertThat(verify(forged, trusted)).as("a tally with a vote added").isFalse();
  }

  private static ObjectNode withHeader(JsonNode answer, JsonNode proven) {
    ObjectNode out = proven.deepCopy();
    out.set("header", answer.get("header"));
    out.set("certificate", answer.get("certificate"));
    return out;
  }

  /** Checks a getProof answer the way a wallet would; true only if every link holds. */
  private static boolean verify(JsonNode answer, ValidatorSet trusted) {
    BlockHeader header = LedgerCodec.decodeHeader(Bytes.fromHex(answer.path("header").path("encoded").asText()).toArray());
    List<CommitSeal> seals = new ArrayList<>();
    for (JsonNode seal : answer.path("certificate").path("seals")) {
      seals.add(new CommitSeal(PublicKey.fromHex(seal.path("validator").asText()),
          new Signature(Bytes.fromHex(seal.path("signature").asText()))));
    }
    CommitCertificate certificate =
        new CommitCertificate(Hash.fromHex(answer.path("certificate").path("blockHash").asText()), seals);
    if (!certificate.verify(header.hash(), trusted).isValid() || !header.validatorSetHash().equals(trusted.hash())) {
      return false;
    }
    JsonNode value = answer.path("value");
    Optional<Bytes> claimed = value.isNull() ? Optional.empty() : Optional.of(Bytes.fromHex(value.asText()));
    StateProof proof = StateProof.decode(Bytes.fromHex(answer.path("proof").asText()));
    return StateProof.verify(header.stateRoot(), Hash.fromHex(answer.path("stateKey").asText()), claimed, proof).isValid();
  }

  @Test
  void clientThrowsTypedErrors() {
    RpcError error = (RpcError) org.assertj.core.api.Assertions.catchThrowable(() -> client.call("cairn_nope"));
    assertThat(error.code()).isEqualTo(-32601);
    assertThat(error.getMessage()).contains("cairn_nope");
    assertThatThrownBy(() -> new RpcClient(java.net.URI.create("http://127.0.0.1:1/"), Duration.ofSeconds(2)).call("cairn_chainId"))
        .isInstanceOf(dev.cairn.rpc.client.RpcTransportException.class);
  }

  @Test
  void rateLimitPerIpAnswers429() {
    RpcConfig strict = new RpcConfig("127.0.0.1", 0, 16 * 1024, 5, 16, 40, 1, 5, 100, 4, 3, 8, 60_000, 100, 2_000, List.of());
    try (RpcTestServer limited = new RpcTestServer(strict)) {
      RpcClient slow = new RpcClient(limited.uri(), Duration.ofSeconds(10));
      int refused = 0;
      for (int i = 0; i < 8; i++) {
        try {
          slow.call("cairn_chainId");
        } catch (RpcError e) {
          assertThat(e.code()).isEqualTo(-32040);
          refused++;
        }
      }
      // Burst 5 at 1 token/s: at most 5 (+1 refilled during the loop) pass.
      assertThat(refused).isBetween(2, 3);
      HttpResponse<String> response = limited.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cairn_chainId\"}");
      assertThat(response.statusCode()).isEqualTo(429);
    }
  }

  @Test
  void corsWhenConfiguredAllowsOnlyListedOrigins() {
    RpcConfig cors = new RpcConfig("127.0.0.1", 0, 16 * 1024, 5, 16, 40, 100, 100, 100, 4, 3, 8, 60_000, 100, 2_000,
        List.of("https://wallet.example"));
    try (RpcTestServer withCors = new RpcTestServer(cors)) {
      String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cairn_chainId\"}";
      HttpResponse<String> allowed = withCors.send(HttpRequest.newBuilder(withCors.uri())
          .header("Origin", "https://wallet.example").POST(HttpRequest.BodyPublishers.ofString(body)).build());
      assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("https://wallet.example");
      HttpResponse<String> other = withCors.send(HttpRequest.newBuilder(withCors.uri())
          .header("Origin", "https://evil.example").POST(HttpRequest.BodyPublishers.ofString(body)).build());
      assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
      HttpResponse<String> preflight = withCors.send(HttpRequest.newBuilder(withCors.uri())
          .header("Origin", "https://wallet.example").method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
      assertThat(preflight.statusCode()).isEqualTo(204);
      assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValueSatisfying(v -> assertThat(v).contains("POST"));
    }
  }

  @Test
  void stopDrainsCallsInFlightAndRefusesNewOnes() throws Exception {
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    rpc.node.readGate = gate;
    var inFlight = java.util.concurrent.CompletableFuture.supplyAsync(() -> client.call("cairn_getAccount", bob.address().toText()));
    assertThat(rpc.node.readEntered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    var stopping = java.util.concurrent.CompletableFuture.runAsync(rpc.server::stop);
    HttpResponse<String> refused = rpc.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cairn_chainId\"}");
    for (int i = 0; i < 500 && refused.statusCode() != 503; i++) {
      Thread.sleep(10);
      refused = rpc.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cairn_chainId\"}");
    }
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.body()).contains("-32046");
    assertThat(stopping).isNotDone();
    gate.countDown();
    assertThat(inFlight.get(10, java.util.concurrent.TimeUnit.SECONDS).path("balance").asText()).isEqualTo("0");
    stopping.get(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Test
  void stopRefusesNewCallsAndFreesThePort() {
    int port = rpc.port;
    assertThat(port).isPositive();
    rpc.server.stop();
    assertThatThrownBy(() -> client.call("cairn_chainId")).isInstanceOf(dev.cairn.rpc.client.RpcTransportException.class);
  }
}
