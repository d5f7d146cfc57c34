package dev.cairn.ledger.vectors;

import java.util.List;
import java.util.Map;

/**
 * Writes maps, lists, strings, integers, booleans and null as pretty-printed JSON with a stable layout, so the
 * vectors file is byte-for-byte reproducible and its diffs are readable. Integers are written as numbers
 * only for small counters; 64-bit amounts are given to it as decimal strings.
 */
final class JsonText {
  private JsonText() {}

  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, 0);
    return out.append('\n').toString();
  }

  private static void write(StringBuilder out, Object value, int indent) {
    switch (value) {
      case null -> out.append("null");
      case String s -> string(out, s);
      case Boolean b -> out.append(b);
      case Integer i -> out.append(i);
      case Long l -> out.append(l);
      case Map<?, ?> map -> object(out, map, indent);
      case List<?> list -> array(out, list, indent);
      default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass());
    }
  }

  private static void object(StringBuilder out, Map<?, ?> map, int indent) {
    if (map.isEmpty()) {
      out.append("{}");
      return;
    }
    out.append("{\n");
    int i = 0;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      out.append("  ".repeat(indent + 1));
      string(out, (String) e.getKey());
      out.append(": ");
      write(out, e.getValue(), indent + 1);
      out.append(++i < map.size() ? ",\n" : "\n");
    }
    out.append("  ".repeat(indent)).append('}');
  }

  private static void array(StringBuilder out, List<?> list, int indent) {
    if (list.isEmpty()) {
      out.append("[]");
      return;
    }
    boolean flat = list.stream().allMatch(v -> v == null || v instanceof String || v instanceof Number || v instanceof Boolean);
    if (flat) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(", ");
        }
        write(out, list.get(i), indent);
      }
      out.append(']');
      return;
    }
    out.append("[\n");
    for (int i = 0; i < list.size(); i++) {
      out.append("  ".repeat(indent + 1));
      write(out, list.get(i), indent + 1);
      out.append(i + 1 < list.size() ? ",\n" : "\n");
    }
    out.append("  ".repeat(indent)).append(']');
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
