package dev.cairn.rpc.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.Address;
import java.util.Iterator;
import java.util.List;

/**
 * A call's params, read by position (array) or by name (object). Every reader names the param it reads in
 * the {@link ErrorCode#INVALID_PARAMS} failure it raises, so a client learns which argument was wrong.
 */
public final class Params {
  private static final int ECHOED_NAME_CHARS_MAX = 64;

  private final List<String> names;
  private final JsonNode params;

  private Params(List<String> names, JsonNode params) {
    this.names = names;
    this.params = params;
  }

  /** Checks that {@code params} (array, object or absent) fits the method's parameter list. */
  static Params of(List<String> names, JsonNode params) {
    if (params != null && params.isArray() && params.size() > names.size()) {
      throw new RpcFailure(ErrorCode.INVALID_PARAMS,
          "expected at most " + names.size() + " params " + names + ", got " + params.size());
    }
    if (params != null && params.isObject()) {
      for (Iterator<String> it = params.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        if (!names.contains(field)) {
          String shown = field.length() > ECHOED_NAME_CHARS_MAX ? field.substring(0, ECHOED_NAME_CHARS_MAX) + "..." : field;
          throw RpcFailure.invalidParam(shown, "unknown param; expected one of " + names);
        }
      }
    }
    return new Params(names, params);
  }

  /** The raw value at {@code index}, or null when absent or JSON null. */
  public JsonNode optional(int index) {
    JsonNode value = null;
    if (params != null && params.isArray()) {
      value = index < params.size() ? params.get(index) : null;
    } else if (params != null && params.isObject()) {
      value = params.get(names.get(index));
    }
    return value == null || value.isNull() ? null : value;
  }

  public JsonNode required(int index) {
    JsonNode value = optional(index);
    if (value == null) {
      throw RpcFailure.invalidParam(name(index), "missing");
    }
    return value;
  }

  public String name(int index) {
    return names.get(index);
  }

  public String string(int index) {
    JsonNode value = required(index);
    if (!value.isTextual()) {
      throw RpcFailure.invalidParam(name(index), "expected a string");
    }
    return value.textValue();
  }

  /**
   * 0x-prefixed hex of any length (up to {@code bytesMax} bytes), digits in either case. Every submitted
   * transaction passes here, so the digits are checked and decoded by hand in one pass over the string (a
   * regular expression plus a separate decode cost a few percent of a loaded node's CPU); the checks and
   * their order (digits, then parity, then length) are those of the {@code 0x[0-9a-fA-F]*} rule.
   */
  public Bytes hexBytes(int index, int bytesMax) {
    String text = string(index);
    int length = text.length();
    if (length < 2 || text.charAt(0) != '0' || text.charAt(1) != 'x') {
      throw RpcFailure.invalidParam(name(index), "expected 0x-prefixed hex");
    }
    boolean fits = (length & 1) == 0 && (length - 2) / 2 <= bytesMax;
    byte[] out = fits ? new byte[(length - 2) / 2] : null;
    for (int i = 2; i < length; i += 2) {
      int high = digit(text.charAt(i));
      int low = i + 1 < length ? digit(text.charAt(i + 1)) : 0;
      if (high < 0 || low < 0) {
        throw RpcFailure.invalidParam(name(index), "expected 0x-prefixed hex");
      }
      if (out != null) {
        out[(i - 2) / 2] = (byte) (high << 4 | low);
      }
    }
    if ((length & 1) != 0) {
      throw RpcFailure.invalidParam(name(index), "hex has an odd number of digits");
    }
    if (out == null) {
      throw RpcFailure.invalidParam(name(index), "more than " + bytesMax + " bytes");
    }
    return Bytes.wrap(out);
  }

  /** The value of one hex digit, or -1 if {@code c} is not one. */
  private static int digit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  public Hash hash(int index) {
    Bytes bytes = hexBytes(index, Hash.SIZE);
    if (bytes.size() != Hash.SIZE) {
      throw RpcFailure.invalidParam(name(index), "expected a 32-byte hash, got " + bytes.size() + " bytes");
    }
    return Hash.wrap(bytes.toArray());
  }

  public Address address(int index) {
    String text = string(index);
    try {
      return Address.parse(text);
    } catch (IllegalArgumentException e) {
      throw RpcFailure.invalidParam(name(index), "not a Cairn address (" + e.getMessage() + ")");
    }
  }

  public boolean bool(int index, boolean absent) {
    JsonNode value = optional(index);
    if (value == null) {
      return absent;
    }
    if (!value.isBoolean()) {
      throw RpcFailure.invalidParam(name(index), "expected true or false");
    }
    return value.booleanValue();
  }

  /** A non-negative integer that fits a long; {@code absent} when missing. */
  public long nonNegativeLong(int index, long absent) {
    JsonNode value = optional(index);
    if (value == null) {
      return absent;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
      throw RpcFailure.invalidParam(name(index), "expected a non-negative integer");
    }
    return value.longValue();
  }

  /** A block height: a non-negative integer, {@code "latest"} or {@code "earliest"}; {@code "latest"} if absent. */
  public BlockTag blockTag(int index) {
    JsonNode value = optional(index);
    if (value == null) {
      return BlockTag.LATEST;
    }
    if (value.isTextual()) {
      return switch (value.textValue()) {
        case "latest" -> BlockTag.LATEST;
        case "earliest" -> new BlockTag.Height(0);
        default -> throw RpcFailure.invalidParam(name(index), "expected a height, \"latest\" or \"earliest\"");
      };
    }
    return new BlockTag.Height(nonNegativeLong(index, 0));
  }

  /** Which block a call is about. */
  public sealed interface BlockTag {
    BlockTag LATEST = new Latest();

    record Latest() implements BlockTag {}

    record Height(long height) implements BlockTag {}
  }
}
