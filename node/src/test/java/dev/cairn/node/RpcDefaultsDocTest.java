package dev.cairn.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.cairn.node.cli.CairnCli;
import dev.cairn.node.config.ConfigLoader;
import dev.cairn.node.config.NodeConfig;
import dev.cairn.rpc.RpcConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The JSON-RPC limits a node runs with are the ones docs/json-rpc.md lists: the node's {@code [rpc]}
 * defaults, as {@code cairn config --defaults} prints them, give exactly {@link RpcConfig#defaults()} (whose
 * values the rpc module's JsonRpcDocsTest compares with the page), and every {@code [rpc]} key in the page's
 * limits table has the default printed there.
 */
class RpcDefaultsDocTest {
  private static final Path PAGE = Path.of("../docs/json-rpc.md");
  @TempDir Path dir;

  @Test
  void aNodeWithDefaultConfigRunsTheRpcWithRpcConfigDefaults() throws Exception {
    NodeConfig config = ConfigLoader.defaults().build(dir);
    assertThat(Node.rpcConfig(config.rpc())).isEqualTo(RpcConfig.defaults());
  }

  @Test
  void everyRpcKeyInTheLimitsTableHasTheDefaultCairnConfigPrints() throws Exception {
    JsonNode rpc = new TomlMapper().readTree(printedDefaults()).get("rpc");
    Map<String, List<String>> table = limitsTable(Files.readString(PAGE, StandardCharsets.UTF_8));
    Set<String> documentedKeys = new TreeSet<>();
    for (List<String> row : table.values()) {
      String keyCell = row.get(2);
      if (!keyCell.startsWith("`")) {
        continue;
      }
      String key = keyCell.replace("`", "");
      documentedKeys.add(key);
      JsonNode value = rpc.get(key);
      assertThat(value).as("[rpc] " + key + " exists in `cairn config --defaults`").isNotNull();
      String printed = value.isArray() && value.isEmpty() ? "empty" : value.asText();
      String documented = row.get(1).split(" ")[0].replace("`", "").replaceAll("[:,]$", "");
      assertThat(documented).as("docs/json-rpc.md default of [rpc] " + key + " (cairn config --defaults: " + printed + ")")
          .isEqualTo(printed);
    }
    Set<String> keys = new TreeSet<>();
    rpc.fieldNames().forEachRemaining(keys::add);
    keys.remove("enabled");
    // Not a limit of RpcConfig but whether the node hands the server its admin port: named under the table.
    keys.remove("admin-enabled");
    assertThat(rpc.get("admin-enabled").asBoolean(true)).as("the admin namespace is off by default").isFalse();
    String page = Files.readString(PAGE, StandardCharsets.UTF_8);
    assertThat(page).contains("`admin-enabled` (default `false`)", "`rpc.admin-enabled = true`");
    assertThat(documentedKeys).as("[rpc] keys in the docs/json-rpc.md limits table").isEqualTo(keys);
  }

  private static String printedDefaults() {
    CommandLine cli = CairnCli.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("config", "--defaults")).isZero();
    return out.toString();
  }

  /** The rows of the page's limits table by field: field, default, node [rpc] key, when exceeded. */
  private static Map<String, List<String>> limitsTable(String page) {
    int start = page.indexOf("\n## Limits\n");
    assertThat(start).as("docs/json-rpc.md has a '## Limits' section").isPositive();
    int end = page.indexOf("\n## ", start + 1);
    Map<String, List<String>> rows = new LinkedHashMap<>();
    for (String line : page.substring(start, end < 0 ? page.length() : end).split("\n")) {
      if (line.startsWith("| `")) {
        List<String> cells = List.of(line.substring(1, line.length() - 1).split("\\|", -1)).stream().map(String::trim).toList();
        rows.put(cells.get(0).replace("`", ""), cells);
      }
    }
    return rows;
  }
}
