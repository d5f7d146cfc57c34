package dev.cairn.rpc.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cairn.rpc.RpcConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The JSON an answer is sent as ({@link JsonRpcProcessor.Reply.Answer#json}, made once while it was measured
 * for the byte caps) is byte for byte what writing its tree gives ({@link Json#MAPPER}), and its size is the
 * size the caps counted: for single calls and batches, results and errors, text that needs escaping or is
 * not ASCII (lone surrogates too), answers refused for size or unrun, and large answers (only counted, then
 * written under their permit).
 */
class AnswerBytesTest {
  /** Answers over 1,024 bytes are large; an answer (a whole batch's too) may reach 8,000 bytes. */
  private final RpcConfig config = new RpcConfig("127.0.0.1", 0, 64 * 1024, 50, 8, 20, 1000, 1000, 10, 1, 1, 1, 60_000, 1, 0,
      List.of()).withResponseLimits(8_000, List.of())
      .withAnswerLimits(new RpcConfig.AnswerLimits(1_024, 4, 4, 1_000, 10_000), 32 * 1024);
  private final JsonRpcProcessor processor = new JsonRpcProcessor(config);
  private final MethodLookup methods = MethodLookup.of(List.of(
      new RpcMethod(TestSpecs.of("echo", "value"), p -> p.required(0)),
      new RpcMethod(TestSpecs.of("repeat", "text", "times"), p -> {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return nodes.textNode(p.required(0).asText().repeat(p.required(1).asInt()));
      }),
      new RpcMethod(TestSpecs.of("boom"), p -> {
        throw new IllegalStateException("bug");
      })));
  private final TokenBucket unlimited = new TokenBucket(1_000_000, 1_000_000, System::nanoTime);

  private void assertSentAsWritten(String body) {
    JsonRpcProcessor.Reply reply = processor.process(body.getBytes(StandardCharsets.UTF_8), methods, unlimited);
    if (reply instanceof JsonRpcProcessor.Reply.Answer answer) {
      try {
        byte[] written = Json.MAPPER.writeValueAsBytes(answer.body());
        Json.Written sent = answer.json();
        assertThat(sent.toByteArray()).as(body).isEqualTo(written);
        assertThat(sent.size()).isEqualTo(written.length);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new AssertionError(e);
      } finally {
        answer.release();
      }
    }
  }

  private static String call(int id, String method, String params) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}";
  }

  @Test
  void singleAnswersOfEveryKind() {
    assertSentAsWritten(call(1, "echo", "[\"plain\"]"));
    assertSentAsWritten(call(2, "echo", "[\"quote \\\" backslash \\\\ tab \\t nul \\u0000 del \\u007f\"]"));
    assertSentAsWritten(call(3, "echo", "[\"caf\u00e9 \u4e2d\u6587 \ud83d\ude00\"]"));
    assertSentAsWritten(call(4, "echo", "[\"lone \\ud800 surrogate \\udc00\"]"));
    assertSentAsWritten(call(5, "echo", "[{\"a\":[1,2.50,-3e5,true,null],\"b\":{}}]"));
    assertSentAsWritten(call(6, "boom", "[]"));
    assertSentAsWritten(call(7, "nope", "[]"));
    assertSentAsWritten("{\"jsonrpc\":\"1.0\",\"id\":\"x\",\"method\":\"echo\"}");
    assertSentAsWritten("not json");
    assertSentAsWritten("[]");
    assertSentAsWritten(call(8, "repeat", "[\"\u00e9\", 600]")); // large (over 1,024 bytes): written under its permit
    assertSentAsWritten(call(9, "repeat", "[\"x\", 9000]")); // over the response bound: -32047
  }

  @Test
  void batchesOfSmallAnswersErrorsAndRefusals() {
    assertSentAsWritten("[" + call(1, "echo", "[\"a\"]") + "," + call(2, "boom", "[]") + ",42,"
        + "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"notified\"]}," + call(3, "echo", "[\"\u00e9\"]") + "]");
    // Crosses the large-answer size: the permit is taken mid-batch.
    StringBuilder large = new StringBuilder("[");
    for (int i = 0; i < 12; i++) {
      large.append(i == 0 ? "" : ",").append(call(i, "repeat", "[\"ab\", 30]"));
    }
    assertSentAsWritten(large.append("]").toString());
    // Past the batch's response bound: the rest are refused for size, unrun.
    StringBuilder tooMuch = new StringBuilder("[");
    for (int i = 0; i < 40; i++) {
      tooMuch.append(i == 0 ? "" : ",").append(call(i, "repeat", "[\"abc\", 80]"));
    }
    assertSentAsWritten(tooMuch.append("]").toString());
    // One answer alone over the bound inside a batch.
    assertSentAsWritten("[" + call(1, "echo", "[1]") + "," + call(2, "repeat", "[\"z\", 9000]") + "]");
  }

  @Test
  void aSmallAnswersBytesAreTheOnesMeasuredNotWrittenAgain() {
    JsonRpcProcessor.Reply reply = processor.process(call(1, "echo", "[\"once\"]").getBytes(StandardCharsets.UTF_8),
        methods, unlimited);
    JsonRpcProcessor.Reply.Answer answer = (JsonRpcProcessor.Reply.Answer) reply;
    assertThat(answer.written()).isPresent();
    assertThat(answer.written().get().isKept()).isTrue();
    assertThat(answer.json()).isSameAs(answer.written().get());
  }

  @Test
  void aLargeAnswerIsOnlyCountedBeforeItsPermit() {
    Json.Written counted = Json.written(TextNode.valueOf("y".repeat(400)), 2_000, 300);
    assertThat(counted.isKept()).isFalse();
    assertThat(counted.size()).isEqualTo(402);
    assertThat(Json.written(TextNode.valueOf("y".repeat(400)), 100, 300).size()).isEqualTo(101);
    assertThat(Json.serializedBytes(TextNode.valueOf("y".repeat(400)), 2_000)).isEqualTo(402);
  }

  @Property(tries = 300)
  void whateverTheBodyTheSentBytesAreTheTreeWritten(@ForAll("batches") String body) {
    assertSentAsWritten(body);
  }

  @Provide
  Arbitrary<String> batches() {
    Arbitrary<String> texts = Arbitraries.strings().withChars("ab\u00e9\u4e2d\"\\\n\u0001").ofMaxLength(40)
        .map(t -> Json.MAPPER.valueToTree(t).toString());
    Arbitrary<String> calls = Arbitraries.oneOf(
        texts.map(t -> call(1, "echo", "[" + t + "]")),
        Arbitraries.integers().between(0, 3000).map(n -> call(2, "repeat", "[\"\u00e9x\", " + n + "]")),
        Arbitraries.just(call(3, "boom", "[]")),
        Arbitraries.just("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[0]}"),
        Arbitraries.just("7"));
    return calls.list().ofMinSize(1).ofMaxSize(30)
        .map(list -> list.size() == 1 ? list.get(0) : "[" + String.join(",", list) + "]");
  }
}
