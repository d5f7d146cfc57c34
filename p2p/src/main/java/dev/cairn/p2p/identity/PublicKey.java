package dev.cairn.p2p.identity;

import dev.cairn.p2p.DecodeException;
import dev.cairn.p2p.wire.ProtobufReader;
import dev.cairn.p2p.wire.ProtobufWriter;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 public identity key in its libp2p form: the PublicKey protobuf
 * {@code {KeyType Type = 1; bytes Data = 2}} with Type = Ed25519 (1) and Data the 32-byte raw key.
 * Only Ed25519 is accepted: Cairn peers use nothing else.
 */
public final class PublicKey {
  public static final int KEY_TYPE_ED25519 = 1;
  public static final int RAW_BYTES = 32;
  /** Bound on a PublicKey protobuf we will look at (RSA keys run to ~550 bytes; we refuse them anyway). */
  public static final int PROTOBUF_BYTES_MAX = 1024;

  private final byte[] raw;
  /** The decoded curve point, or null when {@code raw} does not decode (verify then always fails). */
  private final Ed25519.PublicPoint point;

  private PublicKey(byte[] raw, Ed25519.PublicPoint point) {
    this.raw = raw;
    this.point = point;
  }

  public static PublicKey ofRaw(byte[] raw32) {
    if (raw32.length != RAW_BYTES) throw new IllegalArgumentException("Ed25519 public key must be 32 bytes");
    byte[] raw = raw32.clone();
    return new PublicKey(raw, Ed25519.validatePublicKeyPartialExport(raw, 0));
  }

  /** Decodes a PublicKey protobuf from a peer; only a well-formed Ed25519 key is accepted. */
  public static PublicKey fromProtobuf(byte[] protobuf) {
    if (protobuf.length > PROTOBUF_BYTES_MAX) throw new DecodeException("key_too_long", protobuf.length + " bytes");
    ProtobufReader r = new ProtobufReader(protobuf);
    long type = -1;
    byte[] data = null;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> type = r.readVarint();
        case 2 -> data = r.readBytes(PROTOBUF_BYTES_MAX);
        default -> r.skip();
      }
    }
    if (type != KEY_TYPE_ED25519) throw new DecodeException("key_type_unsupported", "type " + type);
    if (data == null || data.length != RAW_BYTES) throw new DecodeException("key_bad_length", "Ed25519 data must be 32 bytes");
    Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(data, 0);
    if (point == null) throw new DecodeException("key_not_on_curve", "Ed25519 point invalid");
    return new PublicKey(data, point);
  }

  public byte[] raw() {
    return raw.clone();
  }

  /** {@code 08 01 12 20 <32 bytes>}: Type first, then Data, Type always written. */
  public byte[] toProtobuf() {
    return new ProtobufWriter().varint(1, KEY_TYPE_ED25519).bytes(2, raw).toByteArray();
  }

  /** Thread-safe. Uses the pre-decoded point: decompressing the key costs about a tenth of a verify. */
  public boolean verify(byte[] message, byte[] signature) {
    if (signature.length != Ed25519.SIGNATURE_SIZE || point == null) return false;
    return Ed25519.verify(signature, 0, point, message, 0, message.length);
  }

  public PeerId peerId() {
    return PeerId.fromPublicKey(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublicKey other && Arrays.equals(raw, other.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "Ed25519:" + HexFormat.of().formatHex(raw);
  }
}
