package dev.cairn.node.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.genesis.GenesisConfig;
import dev.cairn.genesis.GenesisWriter;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.node.Node;
import dev.cairn.chain.archive.ProducedChain;
import dev.cairn.node.config.ConfigLoader;
import dev.cairn.node.config.NodeConfig;
import dev.cairn.rpc.client.RpcClient;
import dev.cairn.rpc.client.RpcError;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node (in this JVM, real RocksDB and HTTP) with retain-blocks and retain-state set: it keeps producing
 * blocks while its pruner deletes behind it, old blocks and proofs are answered with the documented errors
 * and the height the node keeps them from, recent ones as usual.
 */
class PrunedNodeRpcTest {
  @TempDir Path dir;

  @Test
  void blocksAndProofsAtPrunedHeightsAreAnsweredWithTheirErrorCodes() throws Exception {
    GenesisConfig genesis = ProducedChain.genesis("cairn-pruned-rpc", true);
    GenesisWriter.write(dir.resolve("genesis.json"), genesis);
    KeyFiles.writeNodeKey(dir.resolve("node.key"), ProducedChain.VALIDATOR);
    NodeConfig config = ConfigLoader.defaults()
        .with("node.data-dir", dir.resolve("data").toString())
        .with("node.genesis-file", dir.resolve("genesis.json").toString())
        .with("node.node-key-file", dir.resolve("node.key").toString())
        .with("rpc.port", "0")
        .with("production.block-period-millis-override", "20")
        .with("storage.retain-blocks", "10")
        .with("storage.retain-state", "20")
        .build(dir);
    try (Node node = Node.start(config)) {
      RpcClient client = new RpcClient(URI.create("http://127.0.0.1:" + node.rpcPort()), Duration.ofSeconds(30));
      String sender = ProducedChain.SENDER.address().toText();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      // Until pruning has passed height 5 for both blocks and state (the state at head 25 and beyond).
      while (!prunedPast(client, sender, 5)) {
        assertThat(System.nanoTime()).as("pruning did not pass height 5 within 60 s").isLessThan(deadline);
        Thread.sleep(50);
      }
      RpcError block = rpcError(() -> client.call("cairn_getBlockByNumber", 1, false));
      assertThat(block.code()).isEqualTo(-32023);
      assertThat(block.getMessage()).contains("pruned").contains("storage.retain-blocks");
      assertThat(block.data().path("retainedFrom").asLong()).isGreaterThan(5);
      RpcError proof = rpcError(() -> client.call("cairn_getProof", sender, null, 1));
      assertThat(proof.code()).isEqualTo(-32022);
      assertThat(proof.data().path("retainedFrom").asLong()).isGreaterThan(5);

      long head = client.call("cairn_blockNumber").asLong();
      assertThat(client.call("cairn_getBlockByNumber", head, false).path("height").asLong()).isEqualTo(head);
      // Blocks keep coming every 20 ms: a height a few below the head stays within the 20 retained.
      JsonNode recent = client.call("cairn_getProof", sender, null, head - 5);
      assertThat(recent.path("value").isNull()).isFalse();
      // Genesis is never pruned.
      assertThat(client.call("cairn_getBlockByNumber", 0, false).path("height").asLong()).isZero();
    }
  }

  private static boolean prunedPast(RpcClient client, String sender, long height) {
    try {
      client.call("cairn_getBlockByNumber", height, false);
      return false;
    } catch (RpcError e) {
      // -32021: the chain has not reached the height yet (the node has just started); keep waiting.
      if (e.code() == -32021) {
        return false;
      }
      if (e.code() != -32023) {
        throw e;
      }
    }
    try {
      client.call("cairn_getProof", sender, null, height);
      return false;
    } catch (RpcError e) {
      if (e.code() != -32022) {
        throw e;
      }
      return true;
    }
  }

  private static RpcError rpcError(Runnable call) {
    try {
      call.run();
    } catch (RpcError e) {
      return e;
    }
    throw new AssertionError("expected a JSON-RPC error");
  }
}
