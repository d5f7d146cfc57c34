package dev.cairn.ledger.crypto;

import dev.cairn.ledger.bytes.Bytes;

/** A 64-byte Ed25519 signature. */
public record Signature(Bytes bytes) {
  public static final int SIZE = 64;

  public Signature {
    if (bytes.size() != SIZE) {
      throw new IllegalArgumentException("an Ed25519 signature has 64 bytes, got " + bytes.size());
    }
  }

  @Override
  public String toString() {
    return bytes.toHex();
  }
}
