package dev.cairn.tools.testnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.rpc.client.RpcClient;
import dev.cairn.rpc.client.RpcException;
import java.util.Optional;
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

  static String send(RpcClient client, KeyPair from, KeyPair to, long nonce, String chainId) {
    return submit(client, Transaction.sign(chainId, from, nonce, new Payload.Transfer(to.address(), 1)));
  }

  static String submit(RpcClient client, Transaction tx) {
    return client.sendTransaction(TransactionCodec.encode(tx));
  }

  /** True once every tx has a receipt; a receipt that is not a success fails the test at once. */
  static boolean allFinal(RpcClient client, List<String> txIds) {
    for (String id : txIds) {
      Optional<JsonNode> receipt = client.getReceipt(id);
      if (receipt.isEmpty()) {
        return false;
      }
      assertThat(receipt.get().get("status").asText()).as("receipt %s", receipt.get()).isEqualTo("success");
    }
    return true;
  }

  static long height(RpcClient client) {
    return client.blockNumber();
  }

  static String hashAt(RpcClient client, long height) {
    return client.getBlockTxIds(height).orElseThrow(() -> new AssertionError("no block " + height + " at " + client.endpoint())).hash();
  }

  static long balance(RpcClient client, Address address) {
    return client.getAccount(address).balance();
  }

  static boolean allAtLeast(List<RpcClient> rpc, List<Integer> which, long height) {
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
      } catch (RpcException | UncheckedIOException e) {
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
