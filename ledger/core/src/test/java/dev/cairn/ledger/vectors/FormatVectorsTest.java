package dev.cairn.ledger.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

/**
 * The test vectors in docs/vectors/cairn-vectors.json must be exactly what the code produces today. A change
 * to any byte layout, hash, tag or verdict fails here until the vectors are regenerated (the command is in
 * {@link FormatVectors#REGENERATE}) and docs/formats.md says the same. With {@code -Dcairn.vectors.write=true}
 * this test writes the file instead.
 */
class FormatVectorsTest {
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
