package dev.cairn.rpc.methods;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.model.Limits;
import dev.cairn.ledger.model.TxPosition;
import dev.cairn.rpc.jsonrpc.Params;
import dev.cairn.rpc.jsonrpc.RpcFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code nextCursor} of a history page as the client sees it: 0x and 24 hex digits, the position of the
 * page's last entry (height u64, index u32, big-endian). Clients pass it back as they got it; a value this
 * server could not have issued (another length, a height with the top bit set, an index beyond a block's
 * largest) is refused as an invalid {@code cursor} param before any read.
 */
final class HistoryCursor {
  static final int BYTES = 12;
  private static final String HEX = "[0-9a-fA-F]";

  private HistoryCursor() {}

  /**
   * The JSON Schema pattern of exactly the cursors {@link #read} takes: 24 hex digits, a height below 2^63
   * (first digit 0..7) and an index below {@link Limits#BLOCK_TXS_MAX}, spelled out digit by digit so that
   * it follows the limit.
   */
  static String pattern() {
    return "^0x[0-7]" + HEX + "{15}" + hexBelow(Limits.BLOCK_TXS_MAX, 8) + "$";
  }

  /** A regex group matching the {@code digits}-digit hex numbers (either case) below {@code bound}. */
  static String hexBelow(long bound, int digits) {
    if (bound <= 0 || (digits < 16 && bound > 1L << (4 * digits))) {
      throw new IllegalArgumentException("bound " + bound + " for " + digits + " hex digits");
    }
    if (digits < 16 && bound == 1L << (4 * digits)) {
      return "(" + HEX + "{" + digits + "})";
    }
    String top = String.format(Locale.ROOT, "%0" + digits + "x", bound);
    List<String> alternatives = new ArrayList<>();
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < digits; i++) {
      int digit = Character.digit(top.charAt(i), 16);
      if (digit > 0) {
        int rest = digits - i - 1;
        alternatives.add(prefix + digitBelow(digit) + (rest == 0 ? "" : rest == 1 ? HEX : HEX + "{" + rest + "}"));
      }
      prefix.append(exactly(top.charAt(i)));
    }
    return "(" + String.join("|", alternatives) + ")";
  }

  /** A character class of the hex digits below {@code digit} (1..15), either case. */
  private static String digitBelow(int digit) {
    if (digit == 1) {
      return "0";
    }
    if (digit <= 10) {
      return "[0-" + (digit - 1) + "]";
    }
    char last = Character.forDigit(digit - 1, 16);
    return "[0-9a-" + last + "A-" + Character.toUpperCase(last) + "]";
  }

  private static String exactly(char hexDigit) {
    return Character.isDigit(hexDigit) ? String.valueOf(hexDigit)
        : "[" + hexDigit + Character.toUpperCase(hexDigit) + "]";
  }

  static String encode(TxPosition position) {
    byte[] bytes = new byte[BYTES];
    for (int i = 0; i < 8; i++) {
      bytes[i] = (byte) (position.height() >>> (56 - 8 * i));
    }
    for (int i = 0; i < 4; i++) {
      bytes[8 + i] = (byte) (position.index() >>> (24 - 8 * i));
    }
    return JsonShapes.hex(bytes);
  }

  /** The cursor param at {@code index}: absent or null for the newest page. */
  static Optional<TxPosition> read(Params p, int index) {
    if (p.optional(index) == null) {
      return Optional.empty();
    }
    Bytes bytes = p.hexBytes(index, BYTES);
    if (bytes.size() != BYTES) {
      throw RpcFailure.invalidParam(p.name(index), "expected a cursor of " + BYTES + " bytes (a page's nextCursor), got "
          + bytes.size());
    }
    byte[] raw = bytes.unsafeArray();
    long height = 0;
    for (int i = 0; i < 8; i++) {
      height = (height << 8) | (raw[i] & 0xFF);
    }
    long position = 0;
    for (int i = 8; i < BYTES; i++) {
      position = (position << 8) | (raw[i] & 0xFF);
    }
    if (height < 0) {
      throw RpcFailure.invalidParam(p.name(index), "not a cursor this server issued (height out of range)");
    }
    if (position >= Limits.BLOCK_TXS_MAX) {
      throw RpcFailure.invalidParam(p.name(index), "not a cursor this server issued (index out of range)");
    }
    return Optional.of(new TxPosition(height, (int) position));
  }
}
