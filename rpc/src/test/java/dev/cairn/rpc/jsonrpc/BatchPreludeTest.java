package dev.cairn.rpc.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cairn.rpc.RpcConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A method's batch prelude sees its well-formed calls of a batch once, first, and never changes an answer. */
class BatchPreludeTest {
  private final RpcConfig config = new RpcConfig("127.0.0.1", 0, 4096, 10, 8, 20, 1000, 1000, 10, 1, 1, 1, 60_000, 1, 0, List.of());
  private final JsonRpcProcessor processor = new JsonRpcProcessor(config);
  private final TokenBucket unlimited = new TokenBucket(1_000_000, 1_000_000, System::nanoTime);
  private final List<List<String>> preludeCalls = new ArrayList<>();
  private final List<String> order = new ArrayList<>();

  private MethodLookup methods(RpcMethod.BatchPrelude prelude) {
    return MethodLookup.of(List.of(
        new RpcMethod(TestSpecs.of("send", "tx"), p -> {
          order.add("call " + p.required(0).asText());
          return TextNode.valueOf("ok " + p.required(0).asText());
        }, prelude),
        new RpcMethod(TestSpecs.of("echo", "value"), p -> p.required(0))));
  }

  private static final String BATCH = """
      [{"jsonrpc":"2.0","id":1,"method":"send","params":["a"]},
       {"jsonrpc":"2.0","id":2,"method":"echo","params":["x"]},
       {"jsonrpc":"2.0","id":3,"method":"send","params":{"tx":"b"}},
       {"jsonrpc":"2.0","id":4,"method":"send","params":"not an array"},
       {"jsonrpc":"2.0","id":5,"method":"send","params":["c","extra","too many"]},
       {"jsonrpc":"2.0","method":"send","params":["d"]},
       42]""";

  private JsonNode run(MethodLookup methods) {
    JsonRpcProcessor.Reply reply = processor.process(BATCH.getBytes(StandardCharsets.UTF_8), methods, unlimited);
    return ((JsonRpcProcessor.Reply.Answer) reply).body();
  }

  @Test
  void preludeGetsTheWellFormedCallsOnceBeforeTheyRun() {
    JsonNode answers = run(methods(calls -> {
      List<String> txs = new ArrayList<>();
      calls.forEach(p -> txs.add(p.required(0).asText()));
      preludeCalls.add(txs);
      order.add("prelude");
    }));

    // The notification "d" is well-formed and included; bad params and non-objects are left to the calls.
    assertThat(preludeCalls).containsExactly(List.of("a", "b", "d"));
    assertThat(order).containsExactly("prelude", "call a", "call b", "call d");
    assertThat(answers).hasSize(6);
    assertThat(answers.get(0).path("result").asText()).isEqualTo("ok a");
    assertThat(answers.get(3).path("error").path("code").asInt()).isEqualTo(ErrorCode.INVALID_REQUEST.code());
  }

  @Test
  void aThrowingPreludeChangesNoAnswer() {
    JsonNode plain = run(methods(RpcMethod.BatchPrelude.NONE));
    JsonNode withFailingPrelude = run(methods(calls -> {
      throw new IllegalStateException("prelude bug");
    }));
    assertThat(withFailingPrelude).isEqualTo(plain);
  }

  @Test
  void aSingleRequestRunsNoPrelude() {
    processor.process("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"send\",\"params\":[\"a\"]}".getBytes(StandardCharsets.UTF_8),
        methods(calls -> preludeCalls.add(List.of("called"))), unlimited);
    assertThat(preludeCalls).isEmpty();
    assertThat(order).containsExactly("call a");
  }

  /** What a prelude kept for its batch is released once the batch's calls have run, on the same thread. */
  @Test
  void aPreludeIsFinishedAfterTheBatchsCallsOnItsThread() {
    Thread caller = Thread.currentThread();
    run(methods(new RpcMethod.BatchPrelude() {
      @Override
      public void prepare(List<Params> calls) {
        order.add("prelude");
      }

      @Override
      public void finish() {
        assertThat(Thread.currentThread()).isSameAs(caller);
        order.add("finish");
      }
    }));
    assertThat(order).containsExactly("prelude", "call a", "call b", "call d", "finish");
  }

  @Test
  void aPreludeIsFinishedEvenWhenItsPrepareThrew() {
    run(methods(new RpcMethod.BatchPrelude() {
      @Override
      public void prepare(List<Params> calls) {
        throw new IllegalStateException("prelude bug");
      }

      @Override
      public void finish() {
        order.add("finish");
      }
    }));
    assertThat(order).containsExactly("call a", "call b", "call d", "finish");
  }
}
