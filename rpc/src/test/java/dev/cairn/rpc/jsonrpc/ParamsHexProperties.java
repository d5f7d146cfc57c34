package dev.cairn.rpc.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cairn.ledger.bytes.Bytes;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Params#hexBytes} decodes by hand (it is on every submitted transaction's path); these check it
 * against the rule it replaces: {@code 0x[0-9a-fA-F]*}, then an even digit count, then the size limit, in
 * that order. jqwik prints the seed of a failing run.
 */
class ParamsHexProperties {
  private static final Pattern RULE = Pattern.compile("0x[0-9a-fA-F]*");
  private static final int BYTES_MAX = 8;

  private static Params paramsWith(String text) {
    return Params.of(List.of("data"), JsonNodeFactory.instance.arrayNode().add(text));
  }

  /** What the regex-based reader answered: the decoded bytes, or the failure's detail. */
  private static Object expected(String text) {
    if (!RULE.matcher(text).matches()) {
      return "data: expected 0x-prefixed hex";
    }
    if ((text.length() & 1) != 0) {
      return "data: hex has an odd number of digits";
    }
    if ((text.length() - 2) / 2 > BYTES_MAX) {
      return "data: more than " + BYTES_MAX + " bytes";
    }
    return Bytes.wrap(HexFormat.of().parseHex(text.substring(2)));
  }

  private static Object actual(String text) {
    try {
      return paramsWith(text).hexBytes(0, BYTES_MAX);
    } catch (RpcFailure failure) {
      assertThat(failure.code()).isEqualTo(ErrorCode.INVALID_PARAMS);
      return failure.detail();
    }
  }

  @Property(tries = 2000)
  void answersAsTheHexRuleDoes(@ForAll("hexish") String text) {
    assertThat(actual(text)).isEqualTo(expected(text));
  }

  @Provide
  Arbitrary<String> hexish() {
    Arbitrary<String> digits = Arbitraries.strings().withChars("0123456789abcdefABCDEFxXg -").ofMaxLength(22);
    return Arbitraries.oneOf(digits, digits.map(d -> "0x" + d), Arbitraries.strings().ofMaxLength(20));
  }

  @Example
  void decodesEitherCase() {
    assertThat(paramsWith("0x00ffAb").hexBytes(0, BYTES_MAX)).isEqualTo(Bytes.wrap(new byte[] {0, (byte) 0xff, (byte) 0xab}));
    assertThat(paramsWith("0x").hexBytes(0, BYTES_MAX).size()).isZero();
  }

  @Example
  void refusesAnUppercasePrefixAndABadDigitBeforeTheParity() {
    assertThatThrownBy(() -> paramsWith("0X00").hexBytes(0, BYTES_MAX)).hasMessageContaining("expected 0x-prefixed hex");
    assertThatThrownBy(() -> paramsWith("0x0g0").hexBytes(0, BYTES_MAX)).hasMessageContaining("expected 0x-prefixed hex");
    assertThatThrownBy(() -> paramsWith("0x000").hexBytes(0, BYTES_MAX)).hasMessageContaining("odd number of digits");
    assertThatThrownBy(() -> paramsWith("0x" + "00".repeat(BYTES_MAX + 1)).hexBytes(0, BYTES_MAX))
        .hasMessageContaining("more than 8 bytes");
  }
}
