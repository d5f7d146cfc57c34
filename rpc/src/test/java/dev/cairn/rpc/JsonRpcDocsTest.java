package dev.cairn.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.model.ReceiptCode;
import dev.cairn.rpc.jsonrpc.ErrorCode;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * docs/json-rpc.md is checked, not hand-kept: its limits table must list every {@link RpcConfig} field with
 * the default the code has, every registered method (admin ones included) must have a section, and every error and receipt code
 * must be there. (The node module checks the same table against the node's {@code [rpc]} defaults.)
 */
class JsonRpcDocsTest {
  static final Path PAGE = Path.of("../docs/json-rpc.md");

  static String page() throws Exception {
    return Files.readString(PAGE, StandardCharsets.UTF_8);
  }

  /** The limits table: field name to its row's cells (field, default, node key, when exceeded). */
  static Map<String, List<String>> limitsTable(String page) {
    int start = page.indexOf("\n## Limits\n");
    assertThat(start).as("docs/json-rpc.md has a '## Limits' section").isPositive();
    int end = page.indexOf("\n## ", start + 1);
    Map<String, List<String>> rows = new LinkedHashMap<>();
    for (String line : page.substring(start, end < 0 ? page.length() : end).split("\n")) {
      if (!line.startsWith("| `")) {
        continue;
      }
      List<String> cells = List.of(line.substring(1, line.length() - 1).split("\\|", -1)).stream().map(String::trim).toList();
      String field = cells.get(0).replace("`", "");
      assertThat(rows.put(field, cells)).as("field " + field + " listed once").isNull();
    }
    return rows;
  }

  /** A default cell's value as text: its first word, without backticks; "empty" for an empty list. */
  static String documentedDefault(List<String> row) {
    return row.get(1).split(" ")[0].replace("`", "").replaceAll("[:,]$", "");
  }

  @Test
  void theLimitsTableListsEveryRpcConfigFieldWithTheDefaultTheCodeHas() throws Exception {
    Map<String, List<String>> table = limitsTable(page());
    Set<String> fields = new TreeSet<>();
    checkRows(table, RpcConfig.defaults(), fields);
    assertThat(new TreeSet<>(table.keySet())).as("rows that are RpcConfig fields").isEqualTo(fields);
  }

  /** Each field of {@code limits} has its row with its default; a nested record's fields (answerLimits) have theirs. */
  private static void checkRows(Map<String, List<String>> table, Record limits, Set<String> fields) throws Exception {
    for (RecordComponent component : limits.getClass().getRecordComponents()) {
      Object value = component.getAccessor().invoke(limits);
      if (value instanceof Record nested) {
        checkRows(table, nested, fields);
        continue;
      }
      String field = component.getName();
      fields.add(field);
      assertThat(table).as("docs/json-rpc.md limits table lists " + field).containsKey(field);
      String expected = value instanceof List<?> list && list.isEmpty() ? "empty" : String.valueOf(value);
      assertThat(documentedDefault(table.get(field)))
          .as("docs/json-rpc.md: default of " + field + " (RpcConfig.defaults() has " + expected + ")")
          .isEqualTo(expected);
    }
  }

  @Test
  void everyRegisteredMethodHasASection() throws Exception {
    String page = page();
    try (RpcTestServer rpc = RpcTestServer.withAdmin(RpcConfig.defaults())) {
      Set<String> registered = new TreeSet<>(rpc.server.httpMethodNames());
      registered.addAll(rpc.server.webSocketMethodNames());
      for (String method : registered) {
        assertThat(page).as("docs/json-rpc.md has a section '### " + method + "'").contains("\n### " + method + "\n");
      }
    }
  }

  @Test
  void everyErrorCodeAndReceiptCodeIsListed() throws Exception {
    String page = page();
    for (ErrorCode code : ErrorCode.values()) {
      assertThat(page).as("docs/json-rpc.md has a row for " + code).contains("\n| " + code.code() + " |");
    }
    for (ReceiptCode code : ReceiptCode.values()) {
      assertThat(page).as("docs/json-rpc.md names receipt code " + code)
          .contains(code.code() + " `" + code.name().toLowerCase(Locale.ROOT) + "`");
    }
  }
}
