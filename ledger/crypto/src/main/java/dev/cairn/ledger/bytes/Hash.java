package dev.cairn.ledger.bytes;

import java.util.Arrays;
import java.util.HexFormat;

/** A 32-byte SHA-256 digest. Immutable; ordered as an unsigned big-endian number. */
public final class Hash implements Comparable<Hash> {
  public static final int SIZE = 32;
  public static final Hash ZERO = new Hash(new byte[SIZE]);
  private static final HexFormat HEX = HexFormat.of();

  private final byte[] value;
  private final int hash;

  private Hash(byte[] value) {
    this.value = value;
    this.hash = Arrays.hashCode(value);
  }

  public static Hash of(byte[] value) {
    if (value.length != SIZE) {
      throw new IllegalArgumentException("a hash has " + SIZE + " bytes, got " + value.length);
    }
    return new Hash(value.clone());
  }

  /** Takes ownership of a 32-byte array the caller will not change again. */
  public static Hash wrap(byte[] value) {
    if (value.length != SIZE) {
      throw new IllegalArgumentException("a hash has " + SIZE + " bytes, got " + value.length);
    }
    return new Hash(value);
  }

  public static Hash fromHex(String hex) {
    return of(Bytes.fromHex(hex).unsafeArray());
  }

  public byte[] toArray() {
    return value.clone();
  }

  /** The backing array, for read-only hot paths. Never mutate it. */
  public byte[] unsafeArray() {
    return value;
  }

  public Bytes toBytes() {
    return Bytes.of(value);
  }

  /** Bit {@code index} counted from the most significant bit of byte 0 (the path bit in the state tree). */
  public int bit(int index) {
    return (value[index >>> 3] >>> (7 - (index & 7))) & 1;
  }

  public String toHex() {
    return HEX.formatHex(value);
  }

  /** The first 8 hex digits, for logs. */
  public String shortHex() {
    return HEX.formatHex(value, 0, 4);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hash h && Arrays.equals(value, h.value);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(Hash o) {
    return Arrays.compareUnsigned(value, o.value);
  }

  @Override
  public String toString() {
    return "0x" + toHex();
  }
}
