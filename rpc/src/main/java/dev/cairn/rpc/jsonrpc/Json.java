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
    return written(node, limit, -1).size();
  }

  /**
   * {@code node} written as JSON once: its size (given up past {@code limit}, then {@code limit + 1}) and, if
   * the size is at most {@code keepMax}, the bytes themselves, exactly those {@link #MAPPER} writes for it. A
   * larger answer is only counted: its bytes are not held before the caller decides to make them.
   */
  public static Written written(com.fasterxml.jackson.databind.JsonNode node, long limit, long keepMax) {
    Counter counter = new Counter(limit, keepMax);
    try {
      MAPPER.writeValue(counter, node);
      return counter.chunks == null ? Written.counted(counter.count) : new Written(counter.count, counter.chunks);
    } catch (Counter.Exceeded e) {
      return Written.counted(limit + 1);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("counting JSON bytes", e);
    }
  }

  /**
   * A JSON document's size in bytes and, when they were kept, its bytes (in pieces: a batch's answer is its
   * calls' answers between brackets and commas, never copied into one array).
   */
  public static final class Written {
    private static final byte[] OPEN = {'['};
    private static final byte[] COMMA = {','};
    private static final byte[] CLOSE = {']'};

    private final long size;
    private final java.util.List<byte[]> pieces;

    Written(long size, java.util.List<byte[]> pieces) {
      this.size = size;
      this.pieces = pieces;
    }

    static Written counted(long size) {
      return new Written(size, null);
    }

    static Written kept(byte[] bytes) {
      return new Written(bytes.length, java.util.List.of(bytes));
    }

    /**
     * The JSON array of {@code elements}, each kept, as {@link #MAPPER} writes an array node of them (no
     * whitespace: {@code [a,b]}); empty if one of them was not kept.
     */
    static java.util.Optional<Written> array(java.util.List<Written> elements) {
      java.util.List<byte[]> pieces = new java.util.ArrayList<>(2 * elements.size() + 1);
      long size = 2 + Math.max(0, elements.size() - 1);
      pieces.add(OPEN);
      for (Written element : elements) {
        if (!element.isKept()) {
          return java.util.Optional.empty();
        }
        if (pieces.size() > 1) {
          pieces.add(COMMA);
        }
        pieces.addAll(element.pieces);
        size += element.size;
      }
      pieces.add(CLOSE);
      return java.util.Optional.of(new Written(size, java.util.List.copyOf(pieces)));
    }

    public long size() {
      return size;
    }

    /** Whether the bytes were kept (else only counted). */
    public boolean isKept() {
      return pieces != null;
    }

    /** Writes the kept bytes to {@code out}. */
    public void writeTo(java.io.OutputStream out) throws java.io.IOException {
      if (pieces == null) {
        throw new IllegalStateException("only counted: no bytes to write");
      }
      for (byte[] piece : pieces) {
        out.write(piece);
      }
    }

    /** The kept bytes in one array (a copy for a batch). */
    public byte[] toByteArray() {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) size);
      try {
        writeTo(out);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return out.toByteArray();
    }
  }

  /**
   * Counts bytes written, keeps them while at most {@code keepMax} (as the generator flushes them: each chunk
   * copied once, never grown or joined), and fails once past the limit.
   */
  private static final class Counter extends java.io.OutputStream {
    private final long limit;
    private final long keepMax;
    java.util.List<byte[]> chunks;
    long count;

    Counter(long limit, long keepMax) {
      this.limit = limit;
      this.keepMax = keepMax;
      this.chunks = keepMax > 0 ? new java.util.ArrayList<>(2) : null;
    }

    @Override
    public void write(int b) throws Exceeded {
      write(new byte[] {(byte) b}, 0, 1); // not used by the generator, which writes whole buffers
    }

    @Override
    public void write(byte[] b, int off, int len) throws Exceeded {
      count += len;
      if (count > limit) {
        throw new Exceeded();
      }
      if (chunks == null || len == 0) {
        return;
      }
      if (count > keepMax) {
        chunks = null; // too large to keep: counted only from here
        return;
      }
      chunks.add(java.util.Arrays.copyOfRange(b, off, off + len));
    }

    static final class Exceeded extends java.io.IOException {
      Exceeded() {
        super("limit passed", null);
      }
    }
  }
}
