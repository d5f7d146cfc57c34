package dev.cairn.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/testing.md, "The properties soak": the soak multiplies a property's tries through test-support's jqwik
 * hook, which only a module that has test-support on its test classpath runs. A module whose properties lack
 * it would pass the soak with its usual tries, silently; this test names such a module.
 */
class PropertySoakCoverageTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void everyModuleWithPropertiesTakesTheSoakHook() throws IOException {
    List<Path> modules;
    try (Stream<Path> files = Files.walk(ROOT)) {
      modules = files.filter(p -> p.getFileName().toString().endsWith("Properties.java"))
          .filter(p -> p.toString().contains("/src/test/java/") && !p.toString().contains("/node_modules/"))
          .map(p -> Path.of(p.toString().substring(0, p.toString().indexOf("/src/test/java/"))))
          .distinct().toList();
    }
    assertThat(modules).as("modules with jqwik properties under %s", ROOT).hasSizeGreaterThan(5);
    assertThat(modules).allSatisfy(module -> assertThat(pom(module))
        .as("%s has *Properties tests; its pom must take cairn-test-support at test scope", ROOT.relativize(module))
        .contains("<artifactId>cairn-test-support</artifactId>"));
  }

  private static String pom(Path module) {
    try {
      return Files.readString(module.resolve("pom.xml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
