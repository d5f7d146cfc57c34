package dev.cairn.ledger.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import dev.cairn.ledger.model.ReceiptCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The test vectors in docs/vectors/cairn-vectors.json must be exactly what the code produces today. A change
 * to any byte layout, hash, tag or verdict fails here until the vectors are regenerated (the command is in
 * {@link FormatVectors#REGENERATE}) and docs/formats.md says the same. With {@code -Dcairn.vectors.write=true}
 * this test writes the file instead.
 */
class FormatVectorsTest {
  private static final Path FORMATS_PAGE = Path.of("../../docs/formats.md");

  @Test
  void vectorsFileMatchesTheCode() throws Exception {
    String fresh = FormatVectors.build();
    if (Boolean.getBoolean("cairn.vectors.write")) {
      Files.createDirectories(FormatVectors.FILE.getParent());
      Files.writeString(FormatVectors.FILE, fresh, StandardCharsets.UTF_8);
    }
    assertThat(Files.exists(FormatVectors.FILE)).as("vectors file " + FormatVectors.FILE.toAbsolutePath()).isTrue();
    String onDisk = Files.readString(FormatVectors.FILE, StandardCharsets.UTF_8);
    assertThat(onDisk)
        .as("docs/vectors/cairn-vectors.json differs from what the code produces; if the format change is intended, "
            + "regenerate with '" + FormatVectors.REGENERATE + "' and update docs/formats.md")
        .isEqualTo(fresh);
  }

  /**
   * docs/formats.md must describe the vectors that are checked in: it names every tag and receipt code and
   * carries the vectors file's digest, so regenerated vectors fail here until someone has updated the page.
   */
  @Test
  void formatsPageDescribesTheseVectors() throws Exception {
    String page = Files.readString(FORMATS_PAGE, StandardCharsets.UTF_8);
    for (String tag : FormatVectors.TAGS.values()) {
      assertThat(page).as("docs/formats.md names tag " + tag).contains("`" + tag + "`");
    }
    for (ReceiptCode code : ReceiptCode.values()) {
      assertThat(page).as("docs/formats.md names receipt code " + code)
          .contains(code.code() + " `" + code.name().toLowerCase(Locale.ROOT) + "`");
    }
    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(FormatVectors.FILE)));
    assertThat(page)
        .as("docs/formats.md must carry the digest of docs/vectors/cairn-vectors.json: after checking that the page "
            + "still describes the regenerated vectors, set its line to 'vectors digest: `sha256:" + digest + "`'")
        .contains("vectors digest: `sha256:" + digest + "`");
  }

  @Test
  void everyDomainTagIsWrittenDownAsTheCodeHashesIt() throws Exception {
    assertThat(FormatVectors.TAGS.keySet()).containsExactlyInAnyOrder(DomainTag.values());
    byte[] message = {1, 2, 3};
    for (DomainTag tag : DomainTag.values()) {
      byte[] ascii = FormatVectors.TAGS.get(tag).getBytes(StandardCharsets.US_ASCII);
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((byte) ascii.length);
      sha.update(ascii);
      sha.update(message);
      assertThat(sha.digest()).as(tag.name()).isEqualTo(Hashing.hash(tag, message).toArray());
    }
  }
}
