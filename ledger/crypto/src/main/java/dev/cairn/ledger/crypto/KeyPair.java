package dev.cairn.ledger.crypto;

import dev.cairn.ledger.bytes.Bytes;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 key pair, held as its 32-byte seed (RFC 8032 private key). Signing goes through
 * BouncyCastle's low-level Ed25519, several times faster here than the JDK's EdDSA provider.
 */
public final class KeyPair {
  public static final int SEED_SIZE = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] seed;
  private final PublicKey publicKey;

  private KeyPair(byte[] seed) {
    if (seed.length != SEED_SIZE) {
      throw new IllegalArgumentException("an Ed25519 seed has 32 bytes, got " + seed.length);
    }
    this.seed = seed.clone();
    byte[] pk = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(this.seed, 0, pk, 0);
    this.publicKey = new PublicKey(Bytes.wrap(pk));
  }

  public static KeyPair generate() {
    byte[] seed = new byte[SEED_SIZE];
    RANDOM.nextBytes(seed);
    return new KeyPair(seed);
  }

  public static KeyPair fromSeed(byte[] seed) {
    return new KeyPair(seed);
  }

  /** A deterministic key for tests and simulations: seed = SHA-256(text). Never for real funds. */
  public static KeyPair fromSeedText(String text) {
    return new KeyPair(Hashing.sha256(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  public Address address() {
    return publicKey.address();
  }

  /** A copy of the secret seed, for key files and keystores only. */
  public byte[] seed() {
    return seed.clone();
  }

  public Signature sign(byte[] message) {
    byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(seed, 0, publicKey.bytes().unsafeArray(), 0, message, 0, message.length, sig, 0);
    return new Signature(Bytes.wrap(sig));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyPair k && Arrays.equals(seed, k.seed);
  }

  @Override
  public int hashCode() {
    return publicKey.hashCode();
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "KeyPair[" + publicKey + "]";
  }
}
