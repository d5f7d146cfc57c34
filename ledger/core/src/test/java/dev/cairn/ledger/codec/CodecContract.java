package dev.cairn.ledger.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.cairn.ledger.encoding.CodecException;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;

/**
 * What every canonical encoding promises, checked on one sample: it round-trips, and any truncation,
 * trailing byte, changed type tag or version, or single-byte mutation is either refused with a
 * {@link CodecException} (never another exception) or decodes to an object whose encoding is exactly the
 * mutated bytes (so no object has two encodings).
 */
record CodecContract<T>(String name, Function<T, byte[]> encode, Function<byte[], T> decode) {
  private static final int CUTS_MAX = 48;
  private static final int MUTATIONS_MAX = 48;

  void check(T value, Random random) {
    byte[] encoded = encode.apply(value);
    assertThat(decode.apply(encoded)).as(name + " round trip").isEqualTo(value);
    assertThat(encode.apply(decode.apply(encoded))).as(name + " re-encoding").isEqualTo(encoded);
    truncations(encoded, random);
    trailing(encoded, random);
    tags(encoded);
    mutations(encoded, random);
  }

  private void truncations(byte[] encoded, Random random) {
    int[] fixed = {0, 1, 2, encoded.length - 1};
    for (int cut : fixed) {
      if (cut >= 0 && cut < encoded.length) {
        assertRejected(Arrays.copyOf(encoded, cut), "truncated to " + cut);
      }
    }
    for (int i = 0; i < Math.min(CUTS_MAX, encoded.length); i++) {
      int cut = random.nextInt(encoded.length);
      assertRejected(Arrays.copyOf(encoded, cut), "truncated to " + cut);
    }
  }

  private void trailing(byte[] encoded, Random random) {
    byte[] longer = Arrays.copyOf(encoded, encoded.length + 1 + random.nextInt(8));
    for (int i = encoded.length; i < longer.length; i++) {
      longer[i] = (byte) random.nextInt(256);
    }
    assertRejected(longer, "with trailing bytes");
  }

  /** Bytes 0 and 1 are the type tag and the format version: any other value is refused. */
  private void tags(byte[] encoded) {
    for (int position = 0; position < 2; position++) {
      for (int v = 0; v < 256; v++) {
        if (v != (encoded[position] & 0xFF)) {
          byte[] changed = encoded.clone();
          changed[position] = (byte) v;
          assertRejected(changed, (position == 0 ? "type tag " : "version ") + v);
        }
      }
    }
  }

  private void mutations(byte[] encoded, Random random) {
    for (int i = 0; i < MUTATIONS_MAX; i++) {
      byte[] mutated = encoded.clone();
      int position = random.nextInt(mutated.length);
      mutated[position] = random.nextBoolean()
          ? (byte) (mutated[position] ^ (1 << random.nextInt(8)))
          : (byte) random.nextInt(256);
      T decoded;
      try {
        decoded = decode.apply(mutated);
      } catch (CodecException expected) {
        continue;
      } catch (RuntimeException other) {
        throw new AssertionError(name + " mutated at " + position + " threw " + other + " instead of CodecException", other);
      }
      assertThat(encode.apply(decoded)).as(name + " mutated at " + position + " decodes canonically").isEqualTo(mutated);
    }
  }

  private void assertRejected(byte[] bytes, String what) {
    try {
      T decoded = decode.apply(bytes);
      fail(name + " " + what + " decoded to " + decoded);
    } catch (CodecException expected) {
      // the only acceptable failure
    } catch (RuntimeException other) {
      throw new AssertionError(name + " " + what + " threw " + other + " instead of CodecException", other);
    }
  }
}
