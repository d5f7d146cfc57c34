package dev.cairn.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.rpc.admin.NodeAdmin;
import dev.cairn.rpc.server.RpcSecurity;
import dev.cairn.rpc.server.RpcServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.ReceiptCode;
import dev.cairn.ledger.model.Transaction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** An RpcServer on an OS-assigned port over an {@link InMemoryNode}, with raw-HTTP helpers for tests. */
final class RpcTestServer implements AutoCloseable {
  static final ObjectMapper MAPPER = new ObjectMapper();

  final InMemoryNode node = new InMemoryNode();
  final RpcServer server;
  final int port;
  final HttpClient http = HttpClient.newHttpClient();

  RpcTestServer(RpcConfig config) {
    server = new RpcServer(config.withPort(0), node, node, node, node);
    port = server.start();
  }

  RpcTestServer(RpcConfig config, RpcSecurity security) {
    this(config, security, Optional.empty());
  }

  RpcTestServer(RpcConfig config, RpcSecurity security, Optional<NodeAdmin> admin) {
    server = new RpcServer(config.withPort(0), security, node, node, node, node, admin);
    port = server.start();
  }

  /**
   * Finalizes the next block with {@code records} record writes by {@code signer} (nonces from 0), each value
   * {@code valueBytes} of zeros: a block whose full-transaction JSON is about twice that per record.
   */
  void finalizeRecordBlock(KeyPair signer, int records, int valueBytes) {
    List<Transaction> txs = new ArrayList<>(records);
    for (int i = 0; i < records; i++) {
      txs.add(Transaction.sign(InMemoryNode.CHAIN_ID, signer, i, new Payload.RecordPut("key-" + i, Bytes.wrap(new byte[valueBytes]))));
    }
    node.finalizeBlock(txs, Collections.nCopies(records, ReceiptCode.OK));
  }

  /** Without authentication, with the admin namespace over a {@link FixedNodeAdmin}. */
  static RpcTestServer withAdmin(RpcConfig config) {
    return new RpcTestServer(config, RpcSecurity.none(), Optional.of(new FixedNodeAdmin()));
  }

  /** Small limits so each can be hit cheaply; a generous rate so only the rate test meets it. */
  static RpcConfig testConfig() {
    return new RpcConfig("127.0.0.1", 0, 16 * 1024, 5, 16, 40, 10_000, 10_000, 100, 4, 3, 8, 60_000, 100, 2_000, List.of());
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  URI wsUri() {
    return URI.create("ws://127.0.0.1:" + port + RpcConfig.WS_PATH);
  }

  HttpResponse<String> post(String body) {
    return send(HttpRequest.newBuilder(uri()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Posts and parses the answer as JSON. */
  JsonNode call(String body) {
    try {
      return MAPPER.readTree(post(body).body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A request with id 1, params given as raw JSON text. */
  JsonNode call(String method, String paramsJson) {
    return call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + paramsJson + "}");
  }

  @Override
  public void close() {
    server.stop();
  }
}
