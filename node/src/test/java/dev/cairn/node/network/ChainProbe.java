package dev.cairn.node.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.wallet.JsonRpcClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;

/** What the multi-process network tests ask of running nodes, over their JSON-RPC endpoints. */
final class ChainProbe {
  private static final long POLL_MILLIS = 250;

  private ChainProbe() {}

  static String send(JsonRpcClient client, KeyPair from, KeyPair to, long nonce, String chainId) {
    return submit(client, Transaction.sign(chainId, from, nonce, new Payload.Transfer(to.address(), 1)));
  }

  static String submit(JsonRpcClient client, Transaction tx) {
    return client.call("cairn_sendTransaction", "0x" + TransactionCodec.encode(tx).toHex()).asText();
  }

  /** True once every tx has a receipt; a receipt that is not a success fails the test at once. */
  static boolean allFinal(JsonRpcClient client, List<String> txIds) {
    for (String id : txIds) {
      JsonNode receipt = client.call("cairn_getReceipt", id);
      if (receipt == null || receipt.isNull()) {
        return false;
      }
      assertThat(receipt.get("status").asText()).as("receipt %s", receipt).isEqualTo("success");
    }
    return true;
  }

  static long height(JsonRpcClient client) {
    return client.call("cairn_blockNumber").asLong();
  }

  static boolean allAtLeast(List<JsonRpcClient> rpc, List<Integer> which, long height) {
    for (int i : which) {
      if (height(rpc.get(i)) < height) {
        return false;
      }
    }
    return true;
  }

  /** Polls until true or {@code timeoutMillis}; RPC errors (a node still starting) count as "not yet". */
  static void awaitTrue(String what, long timeoutMillis, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    RuntimeException last = null;
    while (System.currentTimeMillis() < deadline) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (JsonRpcClient.RpcException | UncheckedIOException e) {
        last = e;
      }
      Thread.sleep(POLL_MILLIS);
    }
    throw new AssertionError("timed out after " + timeoutMillis + " ms waiting until " + what
        + (last == null ? "" : "; last error: " + last));
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
