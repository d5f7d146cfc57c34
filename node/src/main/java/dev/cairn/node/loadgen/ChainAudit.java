package dev.cairn.node.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper mapper = new ObjectMapper();

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

  public long blockNumber(URI rpcUrl) {
    return call(rpcUrl, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cairn_blockNumber\"}").path("result").asLong(-1);
  }

  /** Reads blocks 1..height of one node; the txs of {@code load} found in them are set in {@link Chain#txs}. */
  public Chain read(URI rpcUrl, long height, PresignedLoad load) {
    List<String> hashes = new ArrayList<>((int) height);
    BitSet txs = new BitSet(load.size());
    long count = 0;
    for (long from = 1; from <= height; from += BLOCKS_PER_BATCH) {
      long to = Math.min(height, from + BLOCKS_PER_BATCH - 1);
      StringBuilder body = new StringBuilder("[");
      for (long h = from; h <= to; h++) {
        body.append(h == from ? "" : ",").append("{\"jsonrpc\":\"2.0\",\"id\":").append(h)
            .append(",\"method\":\"cairn_getBlockByNumber\",\"params\":[").append(h).append(",false]}");
      }
      JsonNode answers = call(rpcUrl, body.append(']').toString());
      String[] batch = new String[(int) (to - from + 1)];
      for (JsonNode answer : answers) {
        long h = answer.path("id").asLong();
        JsonNode block = answer.path("result");
        if (block.isMissingNode() || block.isNull() || h < from || h > to) {
          throw new IllegalStateException("node " + rpcUrl + " has no block " + h + ": " + answer.path("error"));
        }
        batch[(int) (h - from)] = block.path("hash").asText();
        for (JsonNode id : block.path("transactions")) {
          count++;
          int i = load.indexOf(id.asText());
          if (i >= 0) {
            txs.set(i);
          }
        }
      }
      hashes.addAll(List.of(batch));
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

  private JsonNode call(URI rpcUrl, String body) {
    HttpRequest request = HttpRequest.newBuilder(rpcUrl).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    try {
      return mapper.readTree(http.send(request, HttpResponse.BodyHandlers.ofByteArray()).body());
    } catch (IOException e) {
      throw new UncheckedIOException("audit: node " + rpcUrl + " stopped answering", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("audit interrupted", e);
    }
  }
}
