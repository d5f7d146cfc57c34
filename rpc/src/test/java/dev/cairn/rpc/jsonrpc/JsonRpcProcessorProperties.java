package dev.cairn.rpc.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cairn.rpc.RpcConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever bytes arrive, the processor answers with well-formed JSON-RPC (or nothing, for notifications) and
 * never throws. jqwik prints the seed of a failing run.
 */
class JsonRpcProcessorProperties {
  private final RpcConfig config = new RpcConfig("127.0.0.1", 0, 4096, 5, 8, 20, 1000, 1000, 10, 1, 1, 1, 60_000, 1, 0, List.of());
  private final JsonRpcProcessor processor = new JsonRpcProcessor(config);
  private final MethodLookup methods = MethodLookup.of(List.of(
      new RpcMethod(TestSpecs.of("echo", "value"), p -> p.required(0)),
      new RpcMethod(TestSpecs.of("boom"), p -> {
        throw new IllegalStateException("bug");
      }),
      new RpcMethod(TestSpecs.of("hex", "data"), p -> TextNode.valueOf(p.hexBytes(0, 8).toHex()))));
  private final TokenBucket unlimited = new TokenBucket(1_000_000, 1_000_000, System::nanoTime);

  @Property(tries = 500)
  void arbitraryBytesNeverThrow(@ForAll byte[] body) {
    assertWellFormed(processor.process(body, methods, unlimited));
  }

  @Property(tries = 1000)
  void jsonLikeTextAlwaysGetsAWellFormedAnswer(@ForAll("jsonish") String body) {
    assertWellFormed(processor.process(body.getBytes(StandardCharsets.UTF_8), methods, unlimited));
  }

  @Provide
  Arbitrary<String> jsonish() {
    Arbitrary<String> atoms = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"jsonrpc\"", "\"2.0\"", "\"id\"",
        "\"method\"", "\"params\"", "\"echo\"", "\"boom\"", "\"hex\"", "\"0x12\"", "\"0xz\"", "1", "-1", "1.5",
        "1e400", "null", "true", "\"\"", "99999999999999999999");
    return atoms.list().ofMaxSize(60).map(parts -> String.join("", parts));
  }

  private static void assertWellFormed(JsonRpcProcessor.Reply reply) {
    if (reply instanceof JsonRpcProcessor.Reply.Answer answer) {
      JsonNode body = answer.body();
      if (body.isArray()) {
        assertThat(body).isNotEmpty();
        body.forEach(JsonRpcProcessorProperties::assertResponse);
      } else {
        assertResponse(body);
      }
    }
  }

  private static void assertResponse(JsonNode response) {
    assertThat(response.path("jsonrpc").asText()).isEqualTo("2.0");
    assertThat(response.has("id")).isTrue();
    JsonNode id = response.get("id");
    assertThat(id.isTextual() || id.isNumber() || id.isNull()).isTrue();
    assertThat(response.has("result") ^ response.has("error")).as("exactly one of result/error: %s", response).isTrue();
    if (response.has("error")) {
      assertThat(response.path("error").path("code").isInt()).isTrue();
      assertThat(response.path("error").path("message").asText()).doesNotContain("Exception").doesNotContain("bug");
    }
  }
}
