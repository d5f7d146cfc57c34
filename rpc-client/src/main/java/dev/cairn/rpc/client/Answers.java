package dev.cairn.rpc.client;

import com.fasterxml.jackson.databind.JsonNode;

/** Checks on the shape of a node's answers: a missing field is a broken answer, not a zero. */
final class Answers {
  private static final int QUOTE_CHARS_MAX = 200;

  private Answers() {}

  static long requireLong(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.canConvertToLong()) {
      throw new RpcTransportException("answer lacks the number '" + field + "': " + abbreviate(node), null);
    }
    return value.asLong();
  }

  static String abbreviate(Object value) {
    String text = String.valueOf(value);
    return text.length() > QUOTE_CHARS_MAX ? text.substring(0, QUOTE_CHARS_MAX) + "..." : text;
  }
}
