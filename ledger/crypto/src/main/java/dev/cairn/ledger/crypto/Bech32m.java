package dev.cairn.ledger.crypto;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * Bech32m (BIP-350) text encoding: a human-readable part, the separator '1', base-32 data and a six-character
 * checksum that detects any error in up to four characters. Used for addresses so that a mistyped address is
 * refused instead of losing funds.
 */
final class Bech32m {
  private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  private static final int CONSTANT = 0x2bc830a3;
  private static final int[] GENERATOR = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
  private static final int MAX_LENGTH = 90;

  private Bech32m() {}

  private static int polymod(byte[] values) {
    int chk = 1;
    for (byte v : values) {
      int top = chk >>> 25;
      chk = ((chk & 0x1ffffff) << 5) ^ v;
      for (int i = 0; i < 5; i++) {
        if (((top >>> i) & 1) != 0) {
          chk ^= GENERATOR[i];
        }
      }
    }
    return chk;
  }

  private static byte[] expandHrp(String hrp) {
    int n = hrp.length();
    byte[] out = new byte[n * 2 + 1];
    for (int i = 0; i < n; i++) {
      out[i] = (byte) (hrp.charAt(i) >>> 5);
      out[i + n + 1] = (byte) (hrp.charAt(i) & 31);
    }
    return out;
  }

  private static byte[] checksumInput(String hrp, byte[] data, int extra) {
    byte[] expanded = expandHrp(hrp);
    byte[] values = new byte[expanded.length + data.length + extra];
    System.arraycopy(expanded, 0, values, 0, expanded.length);
    System.arraycopy(data, 0, values, expanded.length, data.length);
    return values;
  }

  static String encode(String hrp, byte[] payload) {
    byte[] data = convertBits(payload, 8, 5, true);
    int mod = polymod(checksumInput(hrp, data, 6)) ^ CONSTANT;
    StringBuilder sb = new StringBuilder(hrp.length() + 1 + data.length + 6).append(hrp).append('1');
    for (byte b : data) {
      sb.append(CHARSET.charAt(b));
    }
    for (int i = 0; i < 6; i++) {
      sb.append(CHARSET.charAt((mod >>> (5 * (5 - i))) & 31));
    }
    return sb.toString();
  }

  /** Decodes and checks the checksum and hrp; throws {@link IllegalArgumentException} naming the problem. */
  static byte[] decode(String expectedHrp, String text) {
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("address too long");
    }
    if (!text.equals(text.toLowerCase(Locale.ROOT)) && !text.equals(text.toUpperCase(Locale.ROOT))) {
      throw new IllegalArgumentException("address mixes upper and lower case");
    }
    String s = text.toLowerCase(Locale.ROOT);
    int sep = s.lastIndexOf('1');
    if (sep < 1 || sep + 7 > s.length()) {
      throw new IllegalArgumentException("address has no valid '1' separator");
    }
    String hrp = s.substring(0, sep);
    if (!hrp.equals(expectedHrp)) {
      throw new IllegalArgumentException("address must start with " + expectedHrp + "1");
    }
    byte[] data = new byte[s.length() - sep - 1];
    for (int i = 0; i < data.length; i++) {
      int v = CHARSET.indexOf(s.charAt(sep + 1 + i));
      if (v < 0) {
        throw new IllegalArgumentException("address has an invalid character '" + s.charAt(sep + 1 + i) + "'");
      }
      data[i] = (byte) v;
    }
    if (polymod(checksumInput(hrp, data, 0)) != CONSTANT) {
      throw new IllegalArgumentException("address checksum mismatch (mistyped?)");
    }
    byte[] values = java.util.Arrays.copyOf(data, data.length - 6);
    return convertBits(values, 5, 8, false);
  }

  private static byte[] convertBits(byte[] in, int fromBits, int toBits, boolean pad) {
    int acc = 0;
    int bits = 0;
    int maxv = (1 << toBits) - 1;
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length * fromBits / toBits + 1);
    for (byte b : in) {
      int value = b & 0xff;
      if ((value >>> fromBits) != 0) {
        throw new IllegalArgumentException("address has invalid data");
      }
      acc = (acc << fromBits) | value;
      bits += fromBits;
      while (bits >= toBits) {
        bits -= toBits;
        out.write((acc >>> bits) & maxv);
      }
    }
    if (pad) {
      if (bits > 0) {
        out.write((acc << (toBits - bits)) & maxv);
      }
    } else if (bits >= fromBits || ((acc << (toBits - bits)) & maxv) != 0) {
      throw new IllegalArgumentException("address has non-zero padding");
    }
    return out.toByteArray();
  }
}
