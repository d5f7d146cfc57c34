package dev.cairn.p2p.wire;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A bounded protobuf wire-format reader for the few small libp2p messages. It walks fields one at a time;
 * unknown fields are skipped; any malformed tag, length or wire type raises {@link DecodeException}.
 */
public final class ProtobufReader {
  public static final int WIRE_VARINT = 0;
  public static final int WIRE_FIXED64 = 1;
  public static final int WIRE_LEN = 2;
  public static final int WIRE_FIXED32 = 5;

  private final byte[] buf;
  private int pos;
  private final int end;
  private int field;
  private int wireType;

  public ProtobufReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  public ProtobufReader(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
  }

  /** Advances to the next field; returns false at the end of the message. */
  public boolean next() {
    if (pos >= end) return false;
    long[] tag = Varint.read(buf, pos, end);
    pos = (int) tag[1];
    long key = tag[0];
    field = (int) (key >>> 3);
    wireType = (int) (key & 7);
    if (field <= 0 || key >>> 3 > 0x1FFFFFFFL) throw new DecodeException("protobuf_bad_field", "tag " + key);
    if (wireType != WIRE_VARINT && wireType != WIRE_FIXED64 && wireType != WIRE_LEN && wireType != WIRE_FIXED32) {
      throw new DecodeException("protobuf_bad_wire_type", "type " + wireType + " field " + field);
    }
    return true;
  }

  public int field() {
    return field;
  }

  public int wireType() {
    return wireType;
  }

  public long readVarint() {
    expect(WIRE_VARINT);
    long[] v = Varint.read(buf, pos, end);
    pos = (int) v[1];
    return v[0];
  }

  public byte[] readBytes(int bytesMax) {
    expect(WIRE_LEN);
    long[] v = Varint.read(buf, pos, end);
    long len = v[0];
    int start = (int) v[1];
    if (len > bytesMax) throw new DecodeException("protobuf_field_too_long", "field " + field + " length " + len + " > " + bytesMax);
    if (len > end - start) throw new DecodeException("protobuf_truncated", "field " + field + " length " + len);
    pos = start + (int) len;
    return Arrays.copyOfRange(buf, start, pos);
  }

  public String readString(int bytesMax) {
    byte[] b = readBytes(bytesMax);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      throw new DecodeException("protobuf_bad_utf8", "field " + field);
    }
  }

  /** Skips the current field's value, whatever its wire type. */
  public void skip() {
    switch (wireType) {
      case WIRE_VARINT -> pos = (int) Varint.read(buf, pos, end)[1];
      case WIRE_FIXED64 -> advance(8);
      case WIRE_FIXED32 -> advance(4);
      case WIRE_LEN -> {
        long[] v = Varint.read(buf, pos, end);
        pos = (int) v[1];
        if (v[0] > end - pos) throw new DecodeException("protobuf_truncated", "field " + field + " length " + v[0]);
        pos += (int) v[0];
      }
      default -> throw new IllegalStateException("unreachable wire type " + wireType);
    }
  }

  private void advance(int n) {
    if (end - pos < n) throw new DecodeException("protobuf_truncated", "field " + field);
    pos += n;
  }

  private void expect(int type) {
    if (wireType != type) {
      throw new DecodeException("protobuf_wrong_wire_type", "field " + field + " type " + wireType + " expected " + type);
    }
  }
}
