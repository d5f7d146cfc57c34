package dev.cairn.ledger.encoding;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the canonical binary form written by {@link CanonicalWriter}. Every read is bounded by the bytes
 * left and by the caller's limit; anything else is a {@link CodecException} naming the field. Callers end
 * with {@link #finish()}, which rejects trailing bytes, so that one object has exactly one encoding.
 */
public final class CanonicalReader {
  private final byte[] input;
  private final int end;
  private int position;

  public CanonicalReader(byte[] input) {
    this(input, 0, input.length);
  }

  public CanonicalReader(byte[] input, int offset, int length) {
    this.input = input;
    this.position = offset;
    this.end = offset + length;
  }

  public static CanonicalReader of(Bytes bytes) {
    return new CanonicalReader(bytes.unsafeArray());
  }

  private void need(int count, String field) {
    if (count < 0 || end - position < count) {
      throw new CodecException(field + ": truncated, needs " + count + " bytes, " + (end - position) + " left");
    }
  }

  public int u8(String field) {
    need(1, field);
    return input[position++] & 0xFF;
  }

  public int u16(String field) {
    need(2, field);
    int value = ((input[position] & 0xFF) << 8) | (input[position + 1] & 0xFF);
    position += 2;
    return value;
  }

  public long u32(String field) {
    need(4, field);
    long value = 0;
    for (int i = 0; i < 4; i++) {
      value = (value << 8) | (input[position++] & 0xFF);
    }
    return value;
  }

  /** A u32 that must not exceed {@code max}, as an int (counts and lengths). */
  public int u32Bounded(String field, int max) {
    long value = u32(field);
    if (value > max) {
      throw new CodecException(field + ": " + value + " exceeds limit " + max);
    }
    return (int) value;
  }

  /** A 64-bit value whose top bit must be clear (Cairn's u64 fields are non-negative longs). */
  public long u64(String field) {
    need(8, field);
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (input[position++] & 0xFF);
    }
    if (value < 0) {
      throw new CodecException(field + ": value exceeds 2^63-1");
    }
    return value;
  }

  public boolean bool(String field) {
    int value = u8(field);
    if (value > 1) {
      throw new CodecException(field + ": boolean must be 0 or 1, got " + value);
    }
    return value == 1;
  }

  public byte[] fixed(int length, String field) {
    need(length, field);
    byte[] out = Arrays.copyOfRange(input, position, position + length);
    position += length;
    return out;
  }

  public Hash hash(String field) {
    return Hash.wrap(fixed(Hash.SIZE, field));
  }

  public Bytes bytes(String field, int maxBytes) {
    int length = u32Bounded(field + " length", maxBytes);
    return Bytes.wrap(fixed(length, field));
  }

  /** UTF-8 text; malformed UTF-8 is rejected because it would not re-encode to the same bytes. */
  public String string(String field, int maxBytes) {
    int length = u32Bounded(field + " length", maxBytes);
    need(length, field);
    try {
      String value =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(input, position, length))
              .toString();
      position += length;
      return value;
    } catch (CharacterCodingException e) {
      throw new CodecException(field + ": not valid UTF-8");
    }
  }

  /** Expects a specific tag byte (object type or version). */
  public void expect(int expected, String field) {
    int actual = u8(field);
    if (actual != expected) {
      throw new CodecException(field + ": expected " + expected + ", got " + actual);
    }
  }

  public int remaining() {
    return end - position;
  }

  public int position() {
    return position;
  }

  /** The raw bytes between two positions of this reader (used to hash a sub-object as it was encoded). */
  public byte[] slice(int from, int to) {
    return Arrays.copyOfRange(input, from, to);
  }

  public void finish(String object) {
    if (position != end) {
      throw new CodecException(object + ": " + (end - position) + " trailing bytes");
    }
  }
}
