package dev.cairn.genesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenesisWriterTest {

  @Test
  void writtenJsonParsesBackToAnEqualConfig() {
    GenesisConfig config = GenesisFixtures.config();
    String json = GenesisWriter.toJson(config);
    assertThat(GenesisParserTest.parse(json).orThrow()).isEqualTo(config);
  }

  @Test
  void writingIsStable() {
    GenesisConfig parsed = GenesisParserTest.parse(GenesisFixtures.json()).orThrow();
    String once = GenesisWriter.toJson(parsed);
    String twice = GenesisWriter.toJson(GenesisParserTest.parse(once).orThrow());
    assertThat(twice).isEqualTo(once);
  }

  @Test
  void fieldsComeInSchemaOrderWithTwoSpaceIndentation() {
    String json = GenesisWriter.toJson(GenesisFixtures.config());
    assertThat(json).startsWith("{\n  \"chainId\": \"cairn-test\",\n  \"genesisTime\": \"2026-09-21T14:13:20Z\",\n");
    assertThat(json.indexOf("\"consensus\"")).isLessThan(json.indexOf("\"validators\""));
    assertThat(json.indexOf("\"validators\"")).isLessThan(json.indexOf("\"accounts\""));
    assertThat(json.indexOf("\"accounts\"")).isLessThan(json.indexOf("\"observers\""));
    assertThat(json).contains("\"roles\": [\n        \"member\",\n        \"admin\"\n      ]");
    assertThat(json).endsWith("}\n");
  }

  @Test
  void millisecondsAreWrittenOnlyWhenPresent() {
    GenesisConfig base = GenesisFixtures.config();
    GenesisConfig withMillis = new GenesisConfig(base.chainId(), base.genesisTimeMillis() + 7, base.consensus(),
        base.validators(), base.accounts(), base.observers());
    assertThat(GenesisWriter.toJson(withMillis)).contains("\"genesisTime\": \"2026-09-21T14:13:20.007Z\"");
  }

  @Test
  void noObserversMeansNoObserversField() {
    GenesisConfig base = GenesisFixtures.config();
    GenesisConfig none = new GenesisConfig(base.chainId(), base.genesisTimeMillis(), base.consensus(),
        base.validators(), base.accounts(), java.util.List.of());
    String json = GenesisWriter.toJson(none);
    assertThat(json).doesNotContain("observers");
    assertThat(GenesisParserTest.parse(json).orThrow()).isEqualTo(none);
  }

  @Test
  void writeRefusesToReplaceAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("genesis.json");
    GenesisWriter.write(file, GenesisFixtures.config());
    assertThat(GenesisParser.read(file).orThrow()).isEqualTo(GenesisFixtures.config());
    assertThatThrownBy(() -> GenesisWriter.write(file, GenesisFixtures.config()))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(GenesisWriter.toJson(GenesisFixtures.config()));
  }
}
