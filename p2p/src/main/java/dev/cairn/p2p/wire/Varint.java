package dev.cairn.p2p.wire;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;

/** Unsigned LEB128 varints (multiformats unsigned-varint): at most 9 bytes, minimal encoding required. */
public final class Varint {
  /** The multiformats unsigned-varint spec caps varints at 9 bytes (63 bits). */
  public static final int BYTES_MAX = 9;

  private Varint() {}

  public static void write(ByteArrayOutputStream out, long value) {
    if (value < 0) throw new IllegalArgumentException("varint must be non-negative: " + value);
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  public static void write(ByteBuf out, long value) {
    if (value < 0) throw new IllegalArgumentException("varint must be non-negative: " + value);
    while ((value & ~0x7FL) != 0) {
      out.writeByte((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.writeByte((int) value);
  }

  public static byte[] encode(long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(BYTES_MAX);
    write(out, value);
    return out.toByteArray();
  }

  public static int size(long value) {
    int n = 1;
    while ((value & ~0x7FL) != 0) {
      n++;
      value >>>= 7;
    }
    return n;
  }

  /** Decodes at {@code pos}; returns value and the position after it. */
  public static long[] read(byte[] in, int pos, int end) {
    long value = 0;
    for (int i = 0; i < BYTES_MAX; i++) {
      if (pos + i >= end) throw new DecodeException("varint_truncated", "at " + pos);
      int b = in[pos + i] & 0xFF;
      if (i > 0 && b == 0) throw new DecodeException("varint_not_minimal", "at " + pos);
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) return new long[] {value, pos + i + 1};
    }
    throw new DecodeException("varint_too_long", "more than " + BYTES_MAX + " bytes at " + pos);
  }

  /**
   * Reads a varint from a Netty buffer without consuming it when incomplete: returns -1 and leaves the
   * reader index untouched if more bytes are needed, else consumes it and returns the value.
   */
  public static long tryRead(ByteBuf in) {
    int start = in.readerIndex();
    long value = 0;
    for (int i = 0; i < BYTES_MAX; i++) {
      if (!in.isReadable(i + 1)) return -1;
      int b = in.getUnsignedByte(start + i);
      if (i > 0 && b == 0) throw new DecodeException("varint_not_minimal", "length prefix");
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        in.readerIndex(start + i + 1);
        return value;
      }
    }
    throw new DecodeException("varint_too_long", "length prefix");
  }
}
