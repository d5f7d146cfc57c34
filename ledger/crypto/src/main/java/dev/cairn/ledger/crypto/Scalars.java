package dev.cairn.ledger.crypto;

import java.math.BigInteger;

/** Ed25519 scalars as they appear on the wire (little-endian) and as BigInteger or 64-bit limbs. */
final class Scalars {
  private Scalars() {}

  /** The unsigned little-endian integer in bytes[offset, offset + length). */
  static BigInteger fromLittleEndian(byte[] bytes, int offset, int length) {
    byte[] bigEndian = new byte[length];
    for (int i = 0; i < length; i++) {
      bigEndian[i] = bytes[offset + length - 1 - i];
    }
    return new BigInteger(1, bigEndian);
  }

  /** 32 little-endian bytes of a value in [0, 2^256). */
  static byte[] littleEndian32(BigInteger value) {
    if (value.signum() < 0 || value.bitLength() > 256) {
      throw new IllegalStateException("not a 256-bit unsigned value: " + value);
    }
    byte[] bigEndian = value.toByteArray();
    byte[] out = new byte[32];
    for (int i = 0; i < 32 && i < bigEndian.length; i++) {
      out[i] = bigEndian[bigEndian.length - 1 - i];
    }
    return out;
  }

  /** Four little-endian 64-bit limbs of a value in [0, 2^256). */
  static long[] limbs(BigInteger value) {
    return limbs(littleEndian32(value), 0, 32);
  }

  /** Little-endian 64-bit limbs of bytes[offset, offset + length), length at most 32. */
  static long[] limbs(byte[] bytes, int offset, int length) {
    long[] out = new long[4];
    for (int i = 0; i < length; i++) {
      out[i >>> 3] |= (bytes[offset + i] & 0xffL) << ((i & 7) * 8);
    }
    return out;
  }

  /** True when the 32 little-endian bytes at offset encode an integer below L (BouncyCastle rejects S >= L). */
  static boolean isBelowL(byte[] bytes, int offset) {
    return fromLittleEndian(bytes, offset, 32).compareTo(EdwardsPoint.L) < 0;
  }

  /** The width bits of a scalar's limbs starting at bit position (beyond bit 255 reads as zero). */
  static int bits(long[] limbs, int position, int width) {
    int limb = position >>> 6;
    if (limb >= 4) {
      return 0;
    }
    int shift = position & 63;
    long value = limbs[limb] >>> shift;
    if (shift + width > 64 && limb + 1 < 4) {
      value |= limbs[limb + 1] << (64 - shift);
    }
    return (int) (value & ((1L << width) - 1));
  }
}
