package dev.cairn.tools.loadgen;

import dev.cairn.rpc.client.BlockTxIds;
import dev.cairn.rpc.client.RpcClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The end-of-run check that nothing final was lost: reads every block 1..height of a node over JSON-RPC
 * (ids only, in batches) and reports which of the transactions the load generator saw final are missing
 * from that node's chain, and at how many heights its block hash differs from the reference node's.
 */
public final class ChainAudit {
  static final int BLOCKS_PER_BATCH = 50;
  /** 50 blocks of tens of thousands of ids each: far above what a wallet may receive. */
  public static final int ANSWER_BYTES_MAX = 256 * 1024 * 1024;
  private final RpcClient rpc = new RpcClient(URI.create("http://127.0.0.1/"), Duration.ofSeconds(60), ANSWER_BYTES_MAX);

  /**
   * One node's result.
   *
   * @param missingFinal txs seen final during the run that are not in this node's blocks 1..height
   * @param hashMismatches heights whose block hash differs from the reference chain's
   */
  public record NodeResult(String node, long height, long txsInChain, long missingFinal, long hashMismatches) {
    public boolean clean() {
      return missingFinal == 0 && hashMismatches == 0;
    }
  }

  /** Block hashes of heights 1..height of a chain, index h-1, hex text as the RPC gives them. */
  public record Chain(List<String> hashes, BitSet txs, long txsInChain) {}

  /** The node's head height; a node not answering throws {@link dev.cairn.rpc.client.RpcException}. */
  public long blockNumber(URI rpcUrl) {
    return rpc.at(rpcUrl).blockNumber();
  }

  /** Reads blocks 1..height of one node; the txs of {@code load} found in them are set in {@link Chain#txs}. */
  public Chain read(URI rpcUrl, long height, PresignedLoad load) {
    List<String> hashes = new ArrayList<>((int) height);
    BitSet txs = new BitSet(load.size());
    long count = 0;
    RpcClient node = rpc.at(rpcUrl);
    for (long from = 1; from <= height; from += BLOCKS_PER_BATCH) {
      for (BlockTxIds block : node.getBlockTxIds(from, Math.min(height, from + BLOCKS_PER_BATCH - 1))) {
        hashes.add(block.hash());
        for (String id : block.txIds()) {
          count++;
          int i = load.indexOf(id);
          if (i >= 0) {
            txs.set(i);
          }
        }
      }
    }
    return new Chain(hashes, txs, count);
  }

  /** Compares one node's chain with the reference chain and the txs seen final. */
  public static NodeResult compare(String node, Chain chain, Chain reference, BitSet seenFinal) {
    BitSet missing = (BitSet) seenFinal.clone();
    missing.andNot(chain.txs());
    long mismatches = 0;
    int common = Math.min(chain.hashes().size(), reference.hashes().size());
    for (int i = 0; i < common; i++) {
      if (!chain.hashes().get(i).equals(reference.hashes().get(i))) {
        mismatches++;
      }
    }
    return new NodeResult(node, chain.hashes().size(), chain.txsInChain(), missing.cardinality(), mismatches);
  }
}
