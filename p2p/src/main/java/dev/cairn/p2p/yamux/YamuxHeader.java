package dev.cairn.p2p.yamux;

import dev.cairn.p2p.wire.DecodeException;
import io.netty.buffer.ByteBuf;

/**
 * A Yamux frame header: {@code version u8 | type u8 | flags u16 | streamId u32 | length u32}, big-endian.
 * For Data, length is the payload size; for WindowUpdate the window delta; for Ping the opaque value; for
 * GoAway the error code.
 */
public record YamuxHeader(int type, int flags, long streamId, long length) {
  public static final int BYTES = 12;
  public static final int TYPE_DATA = 0;
  public static final int TYPE_WINDOW_UPDATE = 1;
  public static final int TYPE_PING = 2;
  public static final int TYPE_GO_AWAY = 3;
  public static final int FLAG_SYN = 1;
  public static final int FLAG_ACK = 2;
  public static final int FLAG_FIN = 4;
  public static final int FLAG_RST = 8;
  public static final int GO_AWAY_NORMAL = 0;
  public static final int GO_AWAY_PROTOCOL_ERROR = 1;
  public static final int GO_AWAY_INTERNAL_ERROR = 2;

  public YamuxHeader {
    if (type < 0 || type > 3) throw new IllegalArgumentException("yamux type " + type);
    if (streamId < 0 || streamId > 0xFFFF_FFFFL || length < 0 || length > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("yamux field out of range");
    }
  }

  public boolean has(int flag) {
    return (flags & flag) != 0;
  }

  /** Reads a header if 12 bytes are readable; null otherwise. Version and type are checked. */
  public static YamuxHeader tryRead(ByteBuf in) {
    if (in.readableBytes() < BYTES) return null;
    int version = in.readUnsignedByte();
    int type = in.readUnsignedByte();
    int flags = in.readUnsignedShort();
    long streamId = in.readUnsignedInt();
    long length = in.readUnsignedInt();
    if (version != 0) throw new DecodeException("yamux_bad_version", "version " + version);
    if (type > TYPE_GO_AWAY) throw new DecodeException("yamux_bad_type", "type " + type);
    if ((flags & ~0xF) != 0) throw new DecodeException("yamux_bad_flags", "flags " + flags);
    if ((type == TYPE_PING || type == TYPE_GO_AWAY) && streamId != 0) {
      throw new DecodeException("yamux_session_frame_on_stream", "type " + type + " stream " + streamId);
    }
    return new YamuxHeader(type, flags, streamId, length);
  }

  public void write(ByteBuf out) {
    out.writeByte(0);
    out.writeByte(type);
    out.writeShort(flags);
    out.writeInt((int) streamId);
    out.writeInt((int) length);
  }
}
