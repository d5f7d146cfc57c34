package dev.cairn.p2p.identity;

import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.p2p.wire.DecodeException;
import java.util.Arrays;

/**
 * A libp2p peer ID: the multihash of a PublicKey protobuf. Ed25519 keys (36-byte protobuf) use the identity
 * multihash {@code 00 24 <protobuf>}; the text form is base58btc of those bytes ({@code 12D3KooW...}).
 * Cairn only authenticates Ed25519 peers, but a sha2-256 ID ({@code 12 20 <digest>}) still parses so that
 * configuration naming one gives a clear "not Ed25519" answer later instead of a parse error.
 */
public final class PeerId implements Comparable<PeerId> {
  private static final int MULTIHASH_IDENTITY = 0x00;
  private static final int MULTIHASH_SHA2_256 = 0x12;
  /** Identity multihashes inline the key; libp2p caps inlined keys at 42 bytes. */
  public static final int IDENTITY_DIGEST_BYTES_MAX = 42;

  private final byte[] bytes;
  private final String text;

  private PeerId(byte[] bytes) {
    this.bytes = bytes;
    this.text = Base58.encode(bytes);
  }

  public static PeerId fromPublicKey(PublicKey key) {
    byte[] proto = IdentityKeys.toProtobuf(key);
    byte[] b = new byte[2 + proto.length];
    b[0] = MULTIHASH_IDENTITY;
    b[1] = (byte) proto.length;
    System.arraycopy(proto, 0, b, 2, proto.length);
    return new PeerId(b);
  }

  /** Parses the multihash bytes of a peer ID (e.g. from a /p2p multiaddr component or gossip {@code from}). */
  public static PeerId fromBytes(byte[] bytes) {
    if (bytes.length < 2) throw new DecodeException("peer_id_too_short", bytes.length + " bytes");
    int code = bytes[0] & 0xFF;
    int len = bytes[1] & 0xFF;
    if (len != bytes.length - 2) throw new DecodeException("peer_id_bad_length", "digest length " + len + " of " + (bytes.length - 2));
    if (code == MULTIHASH_IDENTITY) {
      if (len > IDENTITY_DIGEST_BYTES_MAX) throw new DecodeException("peer_id_too_long", len + " bytes");
      IdentityKeys.fromProtobuf(Arrays.copyOfRange(bytes, 2, bytes.length));
    } else if (code == MULTIHASH_SHA2_256) {
      if (len != 32) throw new DecodeException("peer_id_bad_length", "sha2-256 digest " + len);
    } else {
      throw new DecodeException("peer_id_bad_multihash", "code " + code);
    }
    return new PeerId(bytes.clone());
  }

  public static PeerId fromBase58(String text) {
    return fromBytes(Base58.decode(text));
  }

  /** The public key inlined in an identity-multihash ID, or null for a hashed (non-Ed25519) ID. */
  public PublicKey publicKey() {
    if ((bytes[0] & 0xFF) != MULTIHASH_IDENTITY) return null;
    return IdentityKeys.fromProtobuf(Arrays.copyOfRange(bytes, 2, bytes.length));
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public String toBase58() {
    return text;
  }

  /** The last 6 characters, for compact logs. */
  public String shortText() {
    return text.substring(Math.max(0, text.length() - 6));
  }

  @Override
  public int compareTo(PeerId o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return text;
  }
}
