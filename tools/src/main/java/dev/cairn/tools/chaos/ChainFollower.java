package dev.cairn.tools.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.rpc.client.RpcClient;
import dev.cairn.rpc.client.RpcException;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Follows one node's finalized chain block by block ({@code cairn_getBlockReceipts}) and reports each receipt of
 * a transaction a sender still has in flight as that node's report of it final: one request per block instead
 * of one receipt poll per transaction in flight, which at thousands in flight was most of the nodes' RPC work.
 * The first node to show a transaction final reports it (it leaves {@code inFlight}); a node that was down or
 * wiped meanwhile picks up where its chain is.
 */
final class ChainFollower<T> {
  /** Heights read per pass, so that a node far behind does not hold its follower in one long pass. */
  static final int BLOCKS_PER_PASS_MAX = 64;

  private final ChaosNode node;
  private final Map<String, T> inFlight;
  private final BiConsumer<T, History.Final> onFinal;
  private final History history;
  private long nextHeight = 1;

  /**
   * @param inFlight transaction ids in flight, each with its sender (shared by every follower); a receipt is
   *     reported only by the follower that removes its id
   * @param onFinal told the sender and the report, after the report is in the history
   */
  ChainFollower(ChaosNode node, Map<String, T> inFlight, BiConsumer<T, History.Final> onFinal,
      History history) {
    this.node = node;
    this.inFlight = inFlight;
    this.onFinal = onFinal;
    this.history = history;
  }

  /** One pass: the node's new final blocks, up to {@link #BLOCKS_PER_PASS_MAX}; quietly nothing if it is down. */
  void poll() {
    if (!node.up()) {
      return;
    }
    int incarnation = node.incarnation();
    try {
      long head = node.call(RpcClient::blockNumber);
      long last = Math.min(head, nextHeight + BLOCKS_PER_PASS_MAX - 1);
      while (nextHeight <= last) {
        long height = nextHeight;
        JsonNode block = node.call(rpc -> rpc.getBlockReceipts(height));
        if (node.incarnation() != incarnation) {
          return; // wiped meanwhile: what it said before binds nothing
        }
        String hash = block.path("hash").asText();
        for (JsonNode receipt : block.path("receipts")) {
          String txId = receipt.path("txId").asText();
          T owner = inFlight.remove(txId);
          if (owner != null) {
            History.Final report = new History.Final(txId, node.name(), incarnation, height, hash,
                receipt.path("status").asText().intern(), history.now()); // two values, millions of reports
            history.add(report);
            onFinal.accept(owner, report);
          }
        }
        nextHeight = height + 1;
      }
    } catch (RpcException e) {
      // Down, restarting or paused: the next pass goes on from the same height.
    }
  }
}
