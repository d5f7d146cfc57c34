package dev.cairn.rpc.jsonrpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cairn.rpc.RpcConfig;

/** The two Jackson mappers of the RPC edge: one that writes answers, one that reads untrusted requests. */
public final class Json {
  private Json() {}

  /** For building and writing JSON the server produces itself; never used on untrusted input. */
  public static final ObjectMapper MAPPER = JsonMapper.builder().build();

  /**
   * A reader for untrusted request bodies. The stream constraints bound nesting depth (so a deeply nested
   * array cannot exhaust the stack), number length (so {@code 1e99999999} or a million-digit integer cannot
   * burn CPU and memory) and string length (never above the body limit). Floats are kept as BigDecimal so
   * a numeric id is echoed as sent; duplicate keys and trailing tokens are parse errors, because a request
   * that two parsers would read differently must not be executed.
   */
  public static ObjectMapper requestReader(RpcConfig config) {
    StreamReadConstraints constraints = StreamReadConstraints.builder()
        .maxNestingDepth(config.jsonNestingDepthMax())
        .maxNumberLength(config.jsonNumberDigitsMax())
        .maxStringLength(config.requestBodyBytesMax())
        .maxNameLength(config.requestBodyBytesMax())
        .build();
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(constraints)
        .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    return JsonMapper.builder(factory)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
        .build();
  }

  /**
   * The size of {@code node} written as JSON, counted without keeping the bytes and given up as soon as it
   * passes {@code limit} (then {@code limit + 1} is returned): measuring a huge answer costs no more than
   * the bound.
   */
  public static long serializedBytes(com.fasterxml.jackson.databind.JsonNode node, long limit) {
    Counter counter = new Counter(limit);
    try {
      MAPPER.writeValue(counter, node);
      return counter.count;
    } catch (Counter.Exceeded e) {
      return limit + 1;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("counting JSON bytes", e);
    }
  }

  /** Counts bytes written and fails once past the limit. */
  private static final class Counter extends java.io.OutputStream {
    private final long limit;
    long count;

    Counter(long limit) {
      this.limit = limit;
    }

    @Override
    public void write(int b) throws Exceeded {
      add(1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws Exceeded {
      add(len);
    }

    private void add(long n) throws Exceeded {
      count += n;
      if (count > limit) throw new Exceeded();
    }

    static final class Exceeded extends java.io.IOException {
      Exceeded() {
        super("limit passed", null);
      }
    }
  }
}
