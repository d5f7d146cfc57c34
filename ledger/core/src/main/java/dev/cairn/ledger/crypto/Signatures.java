package dev.cairn.ledger.crypto;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** Ed25519 verification (RFC 8032, BouncyCastle low-level API; rejects non-canonical S). */
public final class Signatures {
  private Signatures() {}

  public static boolean verify(PublicKey key, byte[] message, Signature signature) {
    return Ed25519.verify(
        signature.bytes().unsafeArray(), 0, key.bytes().unsafeArray(), 0, message, 0, message.length);
  }
}
