package dev.cairn.ledger.crypto;

import dev.cairn.ledger.bytes.Bytes;
import java.util.Arrays;

/**
 * An account address: the first 20 bytes of the tagged SHA-256 of the account's Ed25519 public key. Its text
 * form is Bech32m with the human-readable part {@code cairn}, e.g. {@code cairn1qy...}: checksummed, so a
 * mistyped address is refused.
 */
public record Address(Bytes bytes) implements Comparable<Address> {
  public static final int SIZE = 20;
  public static final String HRP = "cairn";

  public Address {
    if (bytes.size() != SIZE) {
      throw new IllegalArgumentException("an address has 20 bytes, got " + bytes.size());
    }
  }

  public static Address of(PublicKey key) {
    byte[] digest = Hashing.hash(DomainTag.ADDRESS, key.bytes()).unsafeArray();
    return new Address(Bytes.wrap(Arrays.copyOf(digest, SIZE)));
  }

  /** Parses the Bech32m text form; throws {@link IllegalArgumentException} with a one-line reason. */
  public static Address parse(String text) {
    byte[] raw = Bech32m.decode(HRP, text.trim());
    if (raw.length != SIZE) {
      throw new IllegalArgumentException("address has " + raw.length + " bytes, expected " + SIZE);
    }
    return new Address(Bytes.wrap(raw));
  }

  public String toText() {
    return Bech32m.encode(HRP, bytes.unsafeArray());
  }

  @Override
  public int compareTo(Address o) {
    return bytes.compareTo(o.bytes);
  }

  @Override
  public String toString() {
    return toText();
  }
}
