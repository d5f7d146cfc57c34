package dev.cairn.ledger.model;

/**
 * Text fields of signed objects (chain id, record key). Java strings may hold unpaired surrogates, which
 * UTF-8 cannot encode: {@code String.getBytes} silently turns them into '?', so two different strings would
 * share one encoding (and one signature). Such strings are refused at construction instead.
 */
public final class Text {
  private Text() {}

  /** The UTF-8 length of {@code value}; throws {@link IllegalArgumentException} if it is not valid Unicode. */
  public static int utf8Length(String field, String value) {
    int bytes = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
          throw new IllegalArgumentException(field + " holds an unpaired surrogate at index " + i);
        }
        bytes += 4;
        i++;
      } else if (Character.isLowSurrogate(c)) {
        throw new IllegalArgumentException(field + " holds an unpaired surrogate at index " + i);
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
