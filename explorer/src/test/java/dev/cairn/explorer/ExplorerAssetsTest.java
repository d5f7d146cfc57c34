package dev.cairn.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The asset list is the whole web root (a file left off would 404 in the browser; a file listed but absent
 * fails start-up), every module import and every link of the page resolves to a listed asset, nothing names
 * another origin, and the whole stays light. The formats module is the JS client's, byte for byte.
 */
class ExplorerAssetsTest {
  private static final Path WEB_ROOT = Path.of("src/main/resources/dev/cairn/explorer/web");
  /** The JS client's formats module, which the build copies into the jar's web root (explorer/pom.xml). */
  private static final String FORMATS_MODULE = "js/cairn.mjs";
  private static final Path COPIED_WEB_ROOT = Path.of("target/classes/dev/cairn/explorer/web");

  /** Where the jar's copy of an asset comes from. */
  private static Path source(String name) {
    return name.equals(FORMATS_MODULE) ? COPIED_WEB_ROOT.resolve(name) : WEB_ROOT.resolve(name);
  }
  /** The explorer's weight budget, uncompressed; docs/explorer.md states the current figure. */
  private static final long TOTAL_BYTES_MAX = 150 * 1024;
  private static final Pattern IMPORT = Pattern.compile("(?:import|export)\\s[^;]*?from\\s+'([^']+)'|import\\s+'([^']+)'");
  private static final Pattern HTML_LINK = Pattern.compile("(?:src|href)=\"([^\"#][^\"]*)\"");
  private static final Pattern REMOTE = Pattern.compile("(?:src|href)=\"(?:https?:)?//|url\\(\\s*['\"]?(?:https?:)?//|fetch\\(\\s*['\"`]https?:|new WebSocket\\(\\s*['\"`]wss?:");

  @Test
  void theAssetListIsExactlyTheWebRoot() throws IOException {
    List<String> files;
    try (Stream<Path> walk = Files.walk(WEB_ROOT)) {
      files = walk.filter(Files::isRegularFile).map(p -> WEB_ROOT.relativize(p).toString().replace('\\', '/'))
          .filter(n -> !n.equals(ExplorerRoutes.ASSET_LIST)).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    }
    files.add(FORMATS_MODULE);
    assertThat(ExplorerRoutes.load().names()).containsExactlyInAnyOrderElementsOf(files);
  }

  @Test
  void everyImportAndLinkResolvesToAListedAsset() throws IOException {
    var names = ExplorerRoutes.load().names();
    List<String> unresolved = new ArrayList<>();
    int links = 0;
    for (String name : names) {
      String text = Files.readString(source(name), StandardCharsets.UTF_8);
      Path dir = Path.of(name).getParent();
      Matcher m = (name.endsWith(".html") ? HTML_LINK : IMPORT).matcher(text);
      while (m.find()) {
        String target = m.group(1) != null ? m.group(1) : m.group(2);
        links++;
        String resolved = (dir == null ? Path.of(target) : dir.resolve(target)).normalize().toString().replace('\\', '/');
        if (!names.contains(resolved)) {
          unresolved.add(name + " -> " + target);
        }
      }
      assertThat(REMOTE.matcher(text).find()).as("%s names another origin", name).isFalse();
    }
    assertThat(unresolved).isEmpty();
    assertThat(links).as("imports and links found (the patterns still match the code)").isGreaterThan(30);
  }

  @Test
  void theFormatsModuleIsTheJsClientsOwn() throws IOException {
    assertThat(Files.readString(source(FORMATS_MODULE), StandardCharsets.UTF_8))
        .isEqualTo(Files.readString(Path.of("../clients/js/cairn.mjs"), StandardCharsets.UTF_8))
        .doesNotContain("from '", "import(");
  }

  @Test
  void theExplorerStaysLight() {
    assertThat(ExplorerRoutes.load().totalBytes()).isPositive().isLessThanOrEqualTo(TOTAL_BYTES_MAX);
  }
}
