package dev.cairn.p2p.noise;

import io.netty.buffer.ByteBuf;

/** Noise messages on the wire: {@code u16 big-endian length || bytes}, handshake and transport alike. */
public final class NoiseFrames {
  private NoiseFrames() {}

  /** Reads one frame body, or null (input untouched) when it is not complete yet. */
  public static byte[] tryRead(ByteBuf in) {
    if (in.readableBytes() < 2) return null;
    int len = in.getUnsignedShort(in.readerIndex());
    if (in.readableBytes() < 2 + len) return null;
    in.skipBytes(2);
    byte[] b = new byte[len];
    in.readBytes(b);
    return b;
  }

  public static void write(ByteBuf out, byte[] body) {
    if (body.length > TransportCiphers.FRAME_BYTES_MAX) throw new IllegalArgumentException("Noise frame too long: " + body.length);
    out.writeShort(body.length);
    out.writeBytes(body);
  }
}
