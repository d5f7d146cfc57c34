package dev.cairn.p2p.identity;

import dev.cairn.p2p.wire.DecodeException;
import java.util.Arrays;

/** base58btc (Bitcoin alphabet), as used for the text form of peer IDs. */
public final class Base58 {
  private static final char[] ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
  private static final int[] INDEX = new int[128];
  /** Longest text accepted by {@link #decode}; peer IDs are 46-53 characters. */
  public static final int TEXT_CHARS_MAX = 256;

  static {
    Arrays.fill(INDEX, -1);
    for (int i = 0; i < ALPHABET.length; i++) INDEX[ALPHABET[i]] = i;
  }

  private Base58() {}

  public static String encode(byte[] input) {
    if (input.length == 0) return "";
    int zeros = 0;
    while (zeros < input.length && input[zeros] == 0) zeros++;
    byte[] num = Arrays.copyOf(input, input.length);
    char[] out = new char[input.length * 2];
    int outStart = out.length;
    int start = zeros;
    while (start < num.length) {
      int rem = 0;
      for (int i = start; i < num.length; i++) {
        int acc = rem * 256 + (num[i] & 0xFF);
        num[i] = (byte) (acc / 58);
        rem = acc % 58;
      }
      out[--outStart] = ALPHABET[rem];
      while (start < num.length && num[start] == 0) start++;
    }
    while (outStart < out.length && out[outStart] == ALPHABET[0]) outStart++;
    for (int i = 0; i < zeros; i++) out[--outStart] = ALPHABET[0];
    return new String(out, outStart, out.length - outStart);
  }

  public static byte[] decode(String text) {
    if (text.length() > TEXT_CHARS_MAX) throw new DecodeException("base58_too_long", text.length() + " chars");
    if (text.isEmpty()) return new byte[0];
    byte[] num = new byte[text.length()];
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int digit = c < 128 ? INDEX[c] : -1;
      if (digit < 0) throw new DecodeException("base58_bad_char", "at " + i);
      num[i] = (byte) digit;
    }
    int zeros = 0;
    while (zeros < num.length && num[zeros] == 0) zeros++;
    byte[] out = new byte[text.length()];
    int outStart = out.length;
    int start = zeros;
    while (start < num.length) {
      int rem = 0;
      for (int i = start; i < num.length; i++) {
        int acc = rem * 58 + (num[i] & 0xFF);
        num[i] = (byte) (acc / 256);
        rem = acc % 256;
      }
      out[--outStart] = (byte) rem;
      while (start < num.length && num[start] == 0) start++;
    }
    while (outStart < out.length && out[outStart] == 0) outStart++;
    byte[] result = new byte[zeros + out.length - outStart];
    System.arraycopy(out, outStart, result, zeros, out.length - outStart);
    return result;
  }
}
