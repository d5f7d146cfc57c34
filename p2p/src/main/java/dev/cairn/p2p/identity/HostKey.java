package dev.cairn.p2p.identity;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.p2p.wire.DecodeException;
import dev.cairn.p2p.wire.ProtobufReader;
import dev.cairn.p2p.wire.ProtobufWriter;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The node's libp2p identity: an Ed25519 private key. Its peer ID is derived from the public key. Key files
 * use the libp2p PrivateKey protobuf, whose Ed25519 Data is seed (32) || public key (32).
 */
public final class HostKey {
  public static final int SEED_BYTES = 32;

  private final byte[] seed;
  /** Kept raw so that signing need not re-derive it (half the cost of a signature). */
  private final byte[] publicRaw;
  private final PublicKey publicKey;
  private final PeerId peerId;

  private HostKey(byte[] seed) {
    this.seed = seed;
    byte[] pub = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(seed, 0, pub, 0);
    this.publicRaw = pub;
    this.publicKey = new PublicKey(Bytes.of(pub));
    this.peerId = PeerId.fromPublicKey(publicKey);
  }

  public static HostKey generate(SecureRandom random) {
    byte[] seed = new byte[SEED_BYTES];
    random.nextBytes(seed);
    return new HostKey(seed);
  }

  public static HostKey fromSeed(byte[] seed32) {
    if (seed32.length != SEED_BYTES) throw new IllegalArgumentException("Ed25519 seed must be 32 bytes");
    return new HostKey(seed32.clone());
  }

  /** Decodes a libp2p PrivateKey protobuf (Ed25519 only); the embedded public key must match the seed. */
  public static HostKey fromProtobuf(byte[] protobuf) {
    ProtobufReader r = new ProtobufReader(protobuf);
    long type = -1;
    byte[] data = null;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> type = r.readVarint();
        case 2 -> data = r.readBytes(128);
        default -> r.skip();
      }
    }
    if (type != IdentityKeys.KEY_TYPE_ED25519) throw new DecodeException("key_type_unsupported", "type " + type);
    if (data == null || (data.length != 64 && data.length != 32)) {
      throw new DecodeException("key_bad_length", "Ed25519 private data must be 64 bytes");
    }
    HostKey key = new HostKey(Arrays.copyOf(data, SEED_BYTES));
    if (data.length == 64 && !Arrays.equals(Arrays.copyOfRange(data, 32, 64), key.publicRaw)) {
      throw new DecodeException("key_mismatch", "embedded public key does not match the seed");
    }
    return key;
  }

  public byte[] toProtobuf() {
    byte[] data = new byte[64];
    System.arraycopy(seed, 0, data, 0, 32);
    System.arraycopy(publicRaw, 0, data, 32, 32);
    return new ProtobufWriter().varint(1, IdentityKeys.KEY_TYPE_ED25519).bytes(2, data).toByteArray();
  }

  public byte[] seed() {
    return seed.clone();
  }

  /** Thread-safe: no mutable state. */
  public byte[] sign(byte[] message) {
    byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(seed, 0, publicRaw, 0, message, 0, message.length, sig, 0);
    return sig;
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  public PeerId peerId() {
    return peerId;
  }

  @Override
  public String toString() {
    return "HostKey[" + peerId + "]";
  }
}
