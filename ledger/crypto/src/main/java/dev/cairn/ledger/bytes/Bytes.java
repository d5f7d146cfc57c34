package dev.cairn.ledger.bytes;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string. Records must not hold {@code byte[]} components (records compare arrays by
 * identity), so every model type holds {@code Bytes} instead.
 */
public final class Bytes implements Comparable<Bytes> {
  public static final Bytes EMPTY = new Bytes(new byte[0]);
  private static final HexFormat HEX = HexFormat.of();

  private final byte[] value;
  private int hash;

  private Bytes(byte[] value) {
    this.value = value;
  }

  /** Copies {@code value}: later changes to the array do not affect this instance. */
  public static Bytes of(byte[] value) {
    return value.length == 0 ? EMPTY : new Bytes(value.clone());
  }

  /** Takes ownership of {@code value} without copying; the caller must not change it afterwards. */
  public static Bytes wrap(byte[] value) {
    return value.length == 0 ? EMPTY : new Bytes(value);
  }

  /** Parses hex with or without a {@code 0x} prefix; throws {@link IllegalArgumentException} on bad input. */
  public static Bytes fromHex(String hex) {
    String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    if ((digits.length() & 1) != 0) {
      throw new IllegalArgumentException("hex string has an odd number of digits");
    }
    return wrap(HEX.parseHex(digits));
  }

  public int size() {
    return value.length;
  }

  public byte get(int index) {
    return value[index];
  }

  /** A copy of the content. */
  public byte[] toArray() {
    return value.clone();
  }

  /** The backing array, for hot paths that only read it (hashing, writing to a buffer). Never mutate it. */
  public byte[] unsafeArray() {
    return value;
  }

  public Bytes slice(int from, int to) {
    return wrap(Arrays.copyOfRange(value, from, to));
  }

  public Bytes concat(Bytes other) {
    byte[] out = Arrays.copyOf(value, value.length + other.value.length);
    System.arraycopy(other.value, 0, out, value.length, other.value.length);
    return wrap(out);
  }

  public String toHex() {
    return HEX.formatHex(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes b && Arrays.equals(value, b.value);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(value);
      hash = h;
    }
    return h;
  }

  @Override
  public int compareTo(Bytes o) {
    return Arrays.compareUnsigned(value, o.value);
  }

  @Override
  public String toString() {
    return "0x" + toHex();
  }
}
