package dev.cairn.p2p.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes protobuf fields in the order called; callers write fields in .proto declaration order. */
public final class ProtobufWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public ProtobufWriter varint(int field, long value) {
    Varint.write(out, ((long) field << 3) | ProtobufReader.WIRE_VARINT);
    Varint.write(out, value);
    return this;
  }

  public ProtobufWriter bytes(int field, byte[] value) {
    Varint.write(out, ((long) field << 3) | ProtobufReader.WIRE_LEN);
    Varint.write(out, value.length);
    out.writeBytes(value);
    return this;
  }

  public ProtobufWriter string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
