package dev.cairn.p2p.identity;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.crypto.Signatures;
import dev.cairn.p2p.wire.DecodeException;
import dev.cairn.p2p.wire.ProtobufReader;
import dev.cairn.p2p.wire.ProtobufWriter;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Cairn's one public-key type ({@link PublicKey}, the validator key that is also the libp2p identity) in its
 * libp2p form: the PublicKey protobuf {@code {KeyType Type = 1; bytes Data = 2}} with Type = Ed25519 (1) and
 * Data the 32-byte raw key. Only Ed25519 is accepted: Cairn peers use nothing else.
 */
public final class IdentityKeys {
  public static final int KEY_TYPE_ED25519 = 1;
  /** Bound on a PublicKey protobuf we will look at (RSA keys run to ~550 bytes; we refuse them anyway). */
  public static final int PROTOBUF_BYTES_MAX = 1024;

  private IdentityKeys() {}

  /** {@code 08 01 12 20 <32 bytes>}: Type first, then Data, Type always written. */
  public static byte[] toProtobuf(PublicKey key) {
    return new ProtobufWriter().varint(1, KEY_TYPE_ED25519).bytes(2, key.bytes().unsafeArray()).toByteArray();
  }

  /**
   * Decodes a PublicKey protobuf from a peer; only a well-formed Ed25519 key whose point passes full
   * validation is accepted.
   */
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
    if (data == null || data.length != PublicKey.SIZE) throw new DecodeException("key_bad_length", "Ed25519 data must be 32 bytes");
    if (Ed25519.validatePublicKeyFullExport(data, 0) == null) throw new DecodeException("key_not_on_curve", "Ed25519 point invalid");
    return new PublicKey(Bytes.wrap(data));
  }

  /**
   * Checks an Ed25519 signature by {@code key}; a signature of the wrong length is simply invalid.
   * Thread-safe; decoded keys are cached by {@link Signatures}.
   */
  public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
    if (signature.length != Signature.SIZE) return false;
    return Signatures.verify(key, message, new Signature(Bytes.wrap(signature)));
  }
}
