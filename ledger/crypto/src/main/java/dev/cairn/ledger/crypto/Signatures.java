package dev.cairn.ledger.crypto;

import dev.cairn.ledger.bytes.Bytes;
import java.util.List;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 verification (RFC 8032, BouncyCastle low-level API; rejects non-canonical S).
 *
 * <p>Decompressing a public key costs about a tenth of a verify, and the same keys sign again and again
 * (members' transactions, validators' votes and seals), so decoded keys are kept in a bounded cache. The
 * cached point is decoded with the same partial validation BouncyCastle applies to raw key bytes, so a
 * verdict never depends on whether the key was cached ({@code SignaturesProperties} checks both paths agree).
 */
public final class Signatures {
  /** Decoded public keys kept; beyond it the cache starts over (a miss costs one decompression). */
  static final int DECODED_KEYS_MAX = 65_536;

  private static final DecodedKeys<Ed25519.PublicPoint> DECODED = new DecodedKeys<>(DECODED_KEYS_MAX);

  private Signatures() {}

  public static boolean verify(PublicKey key, byte[] message, Signature signature) {
    Ed25519.PublicPoint point = decoded(key.bytes());
    if (point == null) {
      return false;
    }
    return Ed25519.verify(signature.bytes().unsafeArray(), 0, point, message, 0, message.length);
  }

  /**
   * Verifies many signatures at once: verdicts[i] == verify(keys[i], messages[i], signatures[i]) for every
   * i, at a fraction of the cost per signature when all are valid and their keys were seen before (see
   * {@link Ed25519Batch}; Ed25519BatchBenchmark measures it). A batch with an invalid signature costs the
   * batch check plus one single verify per item that passed the encoding checks: about 1.5 single verifies
   * per signature at 64 items, the worst an attacker can force with one bad signature per batch (bisecting
   * costs more than that for a single bad item). Below a few items this is single verifies.
   * The three lists must have the same size (IllegalArgumentException otherwise).
   */
  public static boolean[] verifyAll(List<PublicKey> keys, List<byte[]> messages, List<Signature> signatures) {
    return Ed25519Batch.verify(keys, messages, signatures);
  }

  /** Verifies from the raw key bytes, decoding the key every time: the reference the cached path must match. */
  static boolean verifyUncached(PublicKey key, byte[] message, Signature signature) {
    return Ed25519.verify(
        signature.bytes().unsafeArray(), 0, key.bytes().unsafeArray(), 0, message, 0, message.length);
  }

  /** The decoded key, or null if the bytes are not a valid point encoding (never cached). */
  private static Ed25519.PublicPoint decoded(Bytes key) {
    Ed25519.PublicPoint point = DECODED.get(key);
    if (point != null) {
      return point;
    }
    point = Ed25519.validatePublicKeyPartialExport(key.unsafeArray(), 0);
    if (point != null) {
      DECODED.put(key, point);
    }
    return point;
  }
}
