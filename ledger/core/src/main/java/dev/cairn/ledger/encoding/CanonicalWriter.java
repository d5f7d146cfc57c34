package dev.cairn.ledger.encoding;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the canonical binary form: big-endian fixed-width integers, u32 length prefixes for
 * variable-length fields, u8 tags. Fixed width keeps the encoding trivially canonical (no varint has two
 * forms). Each writer enforces the same bounds its {@link CanonicalReader} will check, so nothing can be
 * written that this node would refuse to read.
 */
public final class CanonicalWriter {
  private byte[] buffer;
  private int size;

  public CanonicalWriter() {
    this(128);
  }

  public CanonicalWriter(int initialCapacity) {
    buffer = new byte[Math.max(16, initialCapacity)];
  }

  private void ensure(int extra) {
    if (size + extra > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
    }
  }

  public CanonicalWriter u8(int value) {
    if (value < 0 || value > 0xFF) {
      throw new IllegalArgumentException("u8 out of range: " + value);
    }
    ensure(1);
    buffer[size++] = (byte) value;
    return this;
  }

  public CanonicalWriter u16(int value) {
    if (value < 0 || value > 0xFFFF) {
      throw new IllegalArgumentException("u16 out of range: " + value);
    }
    ensure(2);
    buffer[size++] = (byte) (value >>> 8);
    buffer[size++] = (byte) value;
    return this;
  }

  public CanonicalWriter u32(long value) {
    if (value < 0 || value > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("u32 out of range: " + value);
    }
    ensure(4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      buffer[size++] = (byte) (value >>> shift);
    }
    return this;
  }

  /** A non-negative 64-bit integer (Cairn's amounts, nonces, heights and timestamps are all >= 0). */
  public CanonicalWriter u64(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("u64 field must be non-negative: " + value);
    }
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buffer[size++] = (byte) (value >>> shift);
    }
    return this;
  }

  public CanonicalWriter bool(boolean value) {
    return u8(value ? 1 : 0);
  }

  /** Raw bytes of a length both sides know (hashes, keys, signatures): no prefix. */
  public CanonicalWriter fixed(byte[] value) {
    ensure(value.length);
    System.arraycopy(value, 0, buffer, size, value.length);
    size += value.length;
    return this;
  }

  public CanonicalWriter fixed(Bytes value) {
    return fixed(value.unsafeArray());
  }

  public CanonicalWriter hash(Hash value) {
    return fixed(value.unsafeArray());
  }

  /** A u32 length prefix then the bytes; {@code maxBytes} is the same bound the reader applies. */
  public CanonicalWriter bytes(Bytes value, int maxBytes) {
    if (value.size() > maxBytes) {
      throw new IllegalArgumentException("field of " + value.size() + " bytes exceeds limit " + maxBytes);
    }
    u32(value.size());
    return fixed(value.unsafeArray());
  }

  /** UTF-8 with a u32 byte-length prefix. */
  public CanonicalWriter string(String value, int maxBytes) {
    return bytes(Bytes.wrap(value.getBytes(StandardCharsets.UTF_8)), maxBytes);
  }

  public int size() {
    return size;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  public Bytes toBytes() {
    return Bytes.wrap(toByteArray());
  }
}
