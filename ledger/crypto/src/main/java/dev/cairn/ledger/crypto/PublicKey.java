package dev.cairn.ledger.crypto;

import dev.cairn.ledger.bytes.Bytes;

/** A 32-byte Ed25519 public key. */
public record PublicKey(Bytes bytes) implements Comparable<PublicKey> {
  public static final int SIZE = 32;

  public PublicKey {
    if (bytes.size() != SIZE) {
      throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, got " + bytes.size());
    }
  }

  public static PublicKey fromHex(String hex) {
    return new PublicKey(Bytes.fromHex(hex));
  }

  public Address address() {
    return Address.of(this);
  }

  public String toHex() {
    return bytes.toHex();
  }

  @Override
  public int compareTo(PublicKey o) {
    return bytes.compareTo(o.bytes);
  }

  @Override
  public String toString() {
    return bytes.toHex();
  }
}
