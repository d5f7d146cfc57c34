package dev.cairn.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.execution.ExecutedBlock;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.MerkleProof;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.testing.Fixtures;
import dev.cairn.ledger.testing.TestChain;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A chain for notarization tests: the real state transition ({@link TestChain}), one block per transaction,
 * and the answers an honest node gives to the calls the wallet makes, in the shapes of docs/json-rpc.md, sealed
 * by the chain's validators (or by whoever {@link #sealers} names). As a {@link FileVerifier.Node} for the
 * verifier's tests, and over HTTP ({@link #serve()}) for the commands' tests. {@link #tamper} makes it lie.
 */
final class NotaryChain implements FileVerifier.Node {
  static final ObjectMapper JSON = new ObjectMapper();

  final TestChain chain = TestChain.standard();
  private final List<ExecutedBlock> blocks = new ArrayList<>();
  private final Map<Hash, Integer> blockOf = new HashMap<>();
  private final Map<String, UnaryOperator<JsonNode>> lies = new HashMap<>();
  /** Entries per history page; small, so that the wallet's paging is exercised. */
  int historyPageSize = 2;
  List<KeyPair> sealers = chain.validatorKeys();

  /** Executes {@code tx} alone in the next block. */
  ExecutedBlock include(Transaction tx) {
    ExecutedBlock block = chain.advance(List.of(tx));
    blocks.add(block);
    blockOf.put(tx.id(), blocks.size() - 1);
    return block;
  }

  Transaction put(KeyPair signer, String key, Bytes value) {
    Transaction tx = chain.sign(signer, new Payload.RecordPut(key, value));
    include(tx);
    return tx;
  }

  /** From now on the answers to {@code method} pass through {@code lie}. */
  void tamper(String method, UnaryOperator<JsonNode> lie) {
    lies.put(method, lie);
  }

  private JsonNode answer(String method, JsonNode honest) {
    return lies.getOrDefault(method, UnaryOperator.identity()).apply(honest);
  }

  // ---- FileVerifier.Node ---------------------------------------------------------------------------------------

  @Override
  public JsonNode recordProof(Address owner, String key) {
    return answer("cairn_getProof", proof(owner, key));
  }

  @Override
  public JsonNode recordHistory(Address owner, String key, Optional<String> cursor) {
    return answer("cairn_getRecordHistory", history(owner, key, cursor));
  }

  @Override
  public JsonNode transactionProof(Hash txId) {
    return answer("cairn_getTransactionProof", txProof(txId));
  }

  // ---- honest answers ------------------------------------------------------------------------------------------

  ObjectNode proof(Address owner, String key) {
    BlockHeader header = chain.head();
    Hash stateKey = StateKeys.record(owner, key);
    ObjectNode node = JSON.createObjectNode().put("address", owner.toText()).put("kind", "record").put("recordKey", key)
        .put("stateKey", hex(stateKey.toBytes()));
    node.put("value", chain.tree().get(stateKey).map(NotaryChain::hex).orElse(null));
    node.put("proof", hex(chain.tree().prove(stateKey).encode()));
    node.set("header", header(header));
    node.set("certificate", certificate(header.hash()));
    return node;
  }

  /** Every successful put of {@code key} by {@code owner}, newest first, {@link #historyPageSize} a page. */
  ObjectNode history(Address owner, String key, Optional<String> cursor) {
    List<ObjectNode> entries = new ArrayList<>();
    for (int b = blocks.size() - 1; b >= 0; b--) {
      ExecutedBlock block = blocks.get(b);
      for (int i = block.block().transactions().size() - 1; i >= 0; i--) {
        Transaction tx = block.block().transactions().get(i);
        if (tx.payload() instanceof Payload.RecordPut put && put.key().equals(key) && tx.senderAddress().equals(owner)
            && block.receipts().get(i).isSuccess()) {
          BlockHeader header = block.block().header();
          entries.add(JSON.createObjectNode().put("value", hex(put.value())).put("txId", hex(tx.id().toBytes()))
              .put("blockHeight", header.height()).put("blockHash", hex(header.hash().toBytes())).put("index", i)
              .put("timestampMillis", header.timestampMillis()));
        }
      }
    }
    int from = cursor.map(Integer::parseInt).orElse(0);
    int to = Math.min(entries.size(), from + historyPageSize);
    ObjectNode page = JSON.createObjectNode().put("owner", owner.toText()).put("key", key);
    page.putArray("entries").addAll(entries.subList(Math.min(from, to), to));
    page.put("nextCursor", to < entries.size() ? Integer.toString(to) : null);
    return page;
  }

  ObjectNode txProof(Hash txId) {
    ExecutedBlock block = blocks.get(blockOf.get(txId));
    BlockHeader header = block.block().header();
    List<Transaction> txs = block.block().transactions();
    List<Hash> ids = txs.stream().map(Transaction::id).toList();
    int index = ids.indexOf(txId);
    Receipt receipt = block.receipts().get(index);
    ObjectNode node = receipt(txId);
    node.put("transaction", hex(TransactionCodec.encode(txs.get(index))))
        .put("receipt", hex(Bytes.wrap(LedgerCodec.encode(receipt))));
    node.set("txProof", merkle(MerkleProof.ofTransaction(ids, index)));
    node.set("receiptProof", merkle(MerkleProof.ofReceipt(block.receipts(), index)));
    node.set("header", header(header));
    node.set("certificate", certificate(header.hash()));
    return node;
  }

  ObjectNode receipt(Hash txId) {
    ExecutedBlock block = blocks.get(blockOf.get(txId));
    int index = block.block().transactions().stream().map(Transaction::id).toList().indexOf(txId);
    Receipt receipt = block.receipts().get(index);
    return JSON.createObjectNode().put("txId", hex(txId.toBytes()))
        .put("status", receipt.isSuccess() ? "success" : "failed").put("code", receipt.code().code())
        .put("codeName", receipt.code().name().toLowerCase(java.util.Locale.ROOT)).put("description", "")
        .put("blockHeight", block.block().header().height()).put("blockHash", hex(block.block().hash().toBytes()))
        .put("index", index);
  }

  private ObjectNode header(BlockHeader header) {
    return JSON.createObjectNode().put("height", header.height()).put("hash", hex(header.hash().toBytes()))
        .put("timestampMillis", header.timestampMillis()).put("stateRoot", hex(header.stateRoot().toBytes()))
        .put("encoded", hex(Bytes.wrap(LedgerCodec.encode(header))));
  }

  private ObjectNode certificate(Hash blockHash) {
    ArrayNode seals = JSON.createArrayNode();
    for (KeyPair key : sealers) {
      CommitSeal seal = CommitSeal.sign(key, blockHash);
      seals.add(JSON.createObjectNode().put("validator", "0x" + seal.validator().toHex())
          .put("signature", hex(seal.signature().bytes())));
    }
    ObjectNode certificate = JSON.createObjectNode().put("blockHash", hex(blockHash.toBytes()));
    certificate.set("seals", seals);
    return certificate;
  }

  private static ObjectNode merkle(MerkleProof proof) {
    ObjectNode node = JSON.createObjectNode().put("index", proof.index()).put("leafCount", proof.leafCount());
    ArrayNode siblings = node.putArray("siblings");
    proof.siblings().forEach(s -> siblings.add(hex(s.toBytes())));
    return node;
  }

  static String hex(Bytes bytes) {
    return "0x" + bytes.toHex();
  }

  // ---- over HTTP -----------------------------------------------------------------------------------------------

  /** A JSON-RPC endpoint answering the wallet's calls from this chain; close it after the test. */
  Server serve() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      ObjectNode response = JSON.createObjectNode().put("jsonrpc", "2.0");
      response.set("id", request.get("id"));
      try {
        String method = request.path("method").asText();
        response.set("result", answer(method, call(method, request.path("params"))));
      } catch (RuntimeException e) {
        response.set("error", JSON.createObjectNode().put("code", -32602).put("message", String.valueOf(e.getMessage())));
      }
      byte[] body = response.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return new Server(server);
  }

  private synchronized JsonNode call(String method, JsonNode params) {
    return switch (method) {
      case "cairn_chainId" -> JSON.getNodeFactory().textNode(Fixtures.CHAIN_ID);
      case "cairn_getAccount" -> account(Address.parse(params.get(0).asText()));
      case "cairn_sendTransaction" -> {
        Transaction tx = TransactionCodec.decode(Bytes.fromHex(params.get(0).asText()));
        include(tx);
        yield JSON.getNodeFactory().textNode(hex(tx.id().toBytes()));
      }
      case "cairn_getReceipt" -> {
        Hash id = Hash.fromHex(params.get(0).asText());
        yield blockOf.containsKey(id) ? receipt(id) : NullNode.getInstance();
      }
      case "cairn_getBlockByNumber" -> header(blocks.get((int) params.get(0).asLong() - 1).block().header());
      case "cairn_getRecord" -> {
        Address owner = Address.parse(params.get(0).asText());
        String key = params.get(1).asText();
        yield chain.tree().get(StateKeys.record(owner, key))
            .<JsonNode>map(v -> JSON.createObjectNode().put("owner", owner.toText()).put("key", key).put("value", hex(v)))
            .orElse(NullNode.getInstance());
      }
      case "cairn_getProof" -> proof(Address.parse(params.get(0).asText()), params.get(1).asText());
      case "cairn_getRecordHistory" -> history(Address.parse(params.get(0).asText()), params.get(1).asText(),
          params.get(2).isTextual() ? Optional.of(params.get(2).asText()) : Optional.empty());
      case "cairn_getTransactionProof" -> txProof(Hash.fromHex(params.get(0).asText()));
      default -> throw new IllegalArgumentException("this test node does not answer " + method);
    };
  }

  private ObjectNode account(Address address) {
    Account account = chain.account(address);
    ObjectNode node = JSON.createObjectNode().put("address", address.toText())
        .put("balance", Long.toUnsignedString(account.balance())).put("nonce", account.nonce())
        .put("pendingNonce", account.nonce());
    ArrayNode roles = node.putArray("roles");
    for (Role role : Role.values()) {
      if (account.has(role)) {
        roles.add(role.name().toLowerCase(java.util.Locale.ROOT));
      }
    }
    return node;
  }

  record Server(HttpServer http) implements AutoCloseable {
    URI uri() {
      return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    @Override
    public void close() {
      http.stop(0);
    }
  }
}
