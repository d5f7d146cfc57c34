package dev.cairn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.rpc.RpcConfig;
import dev.cairn.rpc.jsonrpc.JsonRpcProcessor;
import dev.cairn.rpc.jsonrpc.MethodLookup;
import dev.cairn.rpc.jsonrpc.RpcMethod;
import dev.cairn.rpc.jsonrpc.TokenBucket;
import dev.cairn.rpc.methods.CairnMethodSpecs;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A JSON-RPC body through {@link JsonRpcProcessor} to the bytes the HTTP transport writes: a batch of 100
 * cairn_sendTransaction calls (each answered with a 66-character id, the load generator's shape) and one
 * cairn_getBlockByNumber answered with a block of 200 transaction objects (about 40 KB). The methods answer
 * prebuilt JSON, so what is measured is parsing, dispatch, the byte caps' counting and the writing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JsonAnswerBenchmark {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonRpcProcessor processor;
  private MethodLookup methods;
  private TokenBucket bucket;
  private byte[] sendBatch;
  private byte[] getBlock;
  private final java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream(64 * 1024);

  @Setup
  public void setup() {
    processor = new JsonRpcProcessor(RpcConfig.defaults());
    JsonNode txId = NODES.textNode("0x" + "ab".repeat(32));
    ObjectNode block = NODES.objectNode().put("height", 1234).put("hash", "0x" + "cd".repeat(32));
    ArrayNode txs = block.putArray("transactions");
    for (int i = 0; i < 200; i++) {
      txs.addObject().put("id", "0x" + "ef".repeat(32)).put("from", "0x" + "12".repeat(20))
          .put("to", "0x" + "34".repeat(20)).put("nonce", i).put("amount", 1_000 + i).put("type", "transfer");
    }
    methods = MethodLookup.of(List.of(
        new RpcMethod(CairnMethodSpecs.sendTransaction(), p -> txId),
        new RpcMethod(CairnMethodSpecs.getBlockByNumber(), p -> block)));
    bucket = new TokenBucket(1e12, Integer.MAX_VALUE, System::nanoTime);
    StringBuilder batch = new StringBuilder("[");
    for (int i = 0; i < 100; i++) {
      batch.append(i == 0 ? "" : ",").append("{\"jsonrpc\":\"2.0\",\"id\":").append(i)
          .append(",\"method\":\"cairn_sendTransaction\",\"params\":[\"0x").append("00".repeat(150)).append("\"]}");
    }
    sendBatch = batch.append(']').toString().getBytes(StandardCharsets.UTF_8);
    getBlock = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cairn_getBlockByNumber\",\"params\":[1234]}"
        .getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public int sendTransactionBatch() {
    return written(processor.process(sendBatch, methods, bucket));
  }

  @Benchmark
  public int blockAnswer() {
    return written(processor.process(getBlock, methods, bucket));
  }

  /**
   * Writes a reply as the HTTP transport does, into a reused buffer standing for the server's output
   * buffer; returns the bytes written.
   */
  private int written(JsonRpcProcessor.Reply reply) {
    JsonRpcProcessor.Reply.Answer answer = (JsonRpcProcessor.Reply.Answer) reply;
    sink.reset();
    try {
      answer.json().writeTo(sink);
      return sink.size();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      answer.release();
    }
  }
}
