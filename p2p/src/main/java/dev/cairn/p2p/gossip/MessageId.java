package dev.cairn.p2p.gossip;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import java.util.Objects;

/** The identity of a pubsub message, used for dedup and in IHAVE/IWANT as raw bytes. */
public record MessageId(ByteString bytes) {
  public MessageId {
    Objects.requireNonNull(bytes, "bytes");
  }

  public static MessageId of(byte[] bytes) {
    return new MessageId(ByteString.copyFrom(bytes));
  }

  @Override
  public String toString() {
    byte[] raw = bytes.toByteArray();
    String hex = HexFormat.of().formatHex(raw, 0, Math.min(raw.length, 12));
    return raw.length > 12 ? hex + "..." : hex;
  }
}
