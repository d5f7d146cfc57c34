package dev.cairn.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.encoding.CodecException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The notarization record's key and value as docs/formats.md ("Notarization record") writes them: byte by
 * byte, each rule a decoder must enforce, and the vectors file docs/vectors/notarization-vectors.json, which
 * must be what this code produces ({@code -Dcairn.vectors.write=true} rewrites it).
 */
class NotarizationCodecTest {
  static final Path VECTORS = Path.of("../docs/vectors/notarization-vectors.json");
  static final String REGENERATE = "mvn -B -o -q -pl wallet-cli -am test -Dtest=NotarizationCodecTest "
      + "-Dsurefire.failIfNoSpecifiedTests=false -Dcairn.vectors.write=true";
  private static final HexFormat HEX = HexFormat.of();
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static Hash sha256(byte[] content) throws Exception {
    return Hash.wrap(MessageDigest.getInstance("SHA-256").digest(content));
  }

  @Test
  void theLayoutIsTheOneThePageDescribes() throws Exception {
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    Notarization n = new Notarization(sha256(abc), 3, "abc.txt", "");
    // sha256("abc") is the FIPS 180-2 example: any SHA-256 implementation agrees on it.
    assertThat(n.recordKey()).isEqualTo("notary/sha256/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(NotarizationCodec.encode(n).toHex()).isEqualTo(
        "40" + "01" + "01"
            + "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
            + "0000000000000003"
            + "00000007" + HEX.formatHex("abc.txt".getBytes(StandardCharsets.US_ASCII))
            + "00000000");
    assertThat(NotarizationCodec.decode(NotarizationCodec.encode(n))).isEqualTo(n);
  }

  @Test
  void theLongestNotarizationFitsARecordValue() {
    Notarization longest = new Notarization(Hash.ZERO, Long.MAX_VALUE, "é".repeat(128), "x".repeat(1024));
    Bytes value = NotarizationCodec.encode(longest);
    assertThat(value.size()).isEqualTo(NotarizationCodec.VALUE_BYTES_MAX).isLessThanOrEqualTo(4096);
    assertThat(NotarizationCodec.decode(value)).isEqualTo(longest);
    assertThat(Notarization.recordKey(Hash.ZERO).length()).isEqualTo(78);
  }

  @Test
  void namesAndDescriptionsAreBoundedPrintableText() {
    assertThatThrownBy(() -> new Notarization(Hash.ZERO, 1, "a".repeat(257), ""))
        .hasMessageContaining("name must have at most 256 UTF-8 bytes");
    assertThatThrownBy(() -> new Notarization(Hash.ZERO, 1, "a", "b".repeat(1025)))
        .hasMessageContaining("description must have at most 1024");
    assertThatThrownBy(() -> new Notarization(Hash.ZERO, 1, "two\nlines", "")).hasMessageContaining("control character (U+000A)");
    assertThatThrownBy(() -> new Notarization(Hash.ZERO, 1, "a", "\u001b[2J")).hasMessageContaining("U+001B");
    assertThatThrownBy(() -> new Notarization(Hash.ZERO, 1, "\u0085", "")).hasMessageContaining("U+0085");
    assertThatThrownBy(() -> new Notarization(Hash.ZERO, -1, "a", "")).hasMessageContaining("size");
  }

  @Test
  void aDecoderRefusesEverythingButTheOneEncoding() {
    String good = NotarizationCodec.encode(new Notarization(Hash.ZERO, 5, "n", "d")).toHex();
    for (String[] bad : invalid(good)) {
      assertThatThrownBy(() -> NotarizationCodec.decode(Bytes.fromHex(bad[1]))).as(bad[0]).isInstanceOf(CodecException.class);
    }
  }

  /** {description, value hex}: one rule broken each. */
  private static String[][] invalid(String good) {
    String body = good.substring(6);
    String fixed = good.substring(0, 6 + 64 + 16);
    return new String[][] {
      {"another type (an account's 0x08)", "08" + good.substring(2)},
      {"version 2", "4002" + good.substring(4)},
      {"digest algorithm 2", "400102" + body},
      {"size with the top bit set", good.substring(0, 70) + "8000000000000005" + good.substring(86)},
      {"name longer than 256 bytes", fixed + "00000101" + "61".repeat(257) + "00000000"},
      {"description longer than 1024 bytes", fixed + "00000000" + "00000401" + "61".repeat(1025)},
      {"name not UTF-8", fixed + "00000001" + "ff" + "00000000"},
      {"name with a newline", fixed + "00000002" + "610a" + "00000000"},
      {"trailing byte", good + "00"},
      {"truncated", good.substring(0, good.length() - 2)},
      {"empty", ""}
    };
  }

  @Test
  void vectorsFileIsWhatTheCodeProduces() throws Exception {
    String fresh = JSON.writeValueAsString(vectors()) + "\n";
    if (Boolean.getBoolean("cairn.vectors.write")) {
      Files.writeString(VECTORS, fresh, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(VECTORS, StandardCharsets.UTF_8))
        .as("docs/vectors/notarization-vectors.json differs from the code; if intended, regenerate with '"
            + REGENERATE + "' and update docs/formats.md")
        .isEqualTo(fresh);
  }

  private static ObjectNode vectors() throws Exception {
    ObjectNode root = JSON.createObjectNode().put("format", "cairn-notarization-vectors/1")
        .put("about", "Generated by the wallet's NotarizationCodecTest; see docs/formats.md, 'Notarization record'. "
            + "Hex is lowercase without 0x; file contents are given as hex. Regenerate: " + REGENERATE);
    ArrayNode valid = root.putArray("valid");
    Object[][] files = {
      {"", "empty.bin", ""},
      {"abc", "abc.txt", ""},
      {"%PDF-1.7 minutes of the board\n", "Protokoll Überweisung 2024.pdf", "signed by the board, 3 of 5"},
      {"x", "é".repeat(128), "d".repeat(1024)}
    };
    for (Object[] f : files) {
      byte[] content = ((String) f[0]).getBytes(StandardCharsets.UTF_8);
      Notarization n = new Notarization(sha256(content), content.length, (String) f[1], (String) f[2]);
      valid.addObject().put("fileHex", HEX.formatHex(content)).put("size", content.length)
          .put("sha256", n.digest().toHex()).put("name", n.name()).put("description", n.description())
          .put("key", n.recordKey()).put("value", NotarizationCodec.encode(n).toHex());
    }
    ArrayNode invalid = root.putArray("invalidValues");
    for (String[] bad : invalid(NotarizationCodec.encode(new Notarization(Hash.ZERO, 5, "n", "d")).toHex())) {
      String reason;
      try {
        NotarizationCodec.decode(Bytes.fromHex(bad[1]));
        throw new AssertionError("accepted: " + bad[0]);
      } catch (CodecException e) {
        reason = e.getMessage();
      }
      invalid.addObject().put("case", bad[0]).put("value", bad[1]).put("reason", reason);
    }
    return root;
  }
}
