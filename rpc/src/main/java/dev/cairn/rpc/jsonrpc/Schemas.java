package dev.cairn.rpc.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Small builders for the JSON Schemas (draft 7, the dialect of OpenRPC 1.x) in {@link MethodSpec}s and in
 * the document's {@code components/schemas}. Every builder returns a fresh node.
 */
public final class Schemas {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  public static final String COMPONENTS = "#/components/schemas/";

  private Schemas() {}

  /** A reference to the shared schema {@code name} in the document's components. */
  public static ObjectNode ref(String name) {
    return NODES.objectNode().put("$ref", COMPONENTS + name);
  }

  public static ObjectNode string(String description) {
    return NODES.objectNode().put("type", "string").put("description", description);
  }

  public static ObjectNode pattern(String regex, String description) {
    return string(description).put("pattern", regex);
  }

  public static ObjectNode stringLength(int minLength, int maxLength, String description) {
    return string(description).put("minLength", minLength).put("maxLength", maxLength);
  }

  public static ObjectNode integer(long minimum, long maximum, String description) {
    return NODES.objectNode().put("type", "integer").put("minimum", minimum).put("maximum", maximum)
        .put("description", description);
  }

  public static ObjectNode bool(String description) {
    return NODES.objectNode().put("type", "boolean").put("description", description);
  }

  public static ObjectNode constant(boolean value, String description) {
    return NODES.objectNode().put("const", value).put("description", description);
  }

  public static ObjectNode nullValue() {
    return NODES.objectNode().put("type", "null");
  }

  public static ObjectNode enumOf(List<String> values, String description) {
    ObjectNode node = string(description);
    ArrayNode list = node.putArray("enum");
    values.forEach(list::add);
    return node;
  }

  public static ObjectNode array(JsonNode items, String description) {
    ObjectNode node = NODES.objectNode().put("type", "array").put("description", description);
    node.set("items", items);
    return node;
  }

  /** Exactly one of {@code schemas}. */
  public static ObjectNode oneOf(JsonNode... schemas) {
    ObjectNode node = NODES.objectNode();
    ArrayNode list = node.putArray("oneOf");
    for (JsonNode s : schemas) {
      list.add(s);
    }
    return node;
  }

  /** All of {@code schemas}: how a shared schema is narrowed (draft 7 ignores the siblings of a $ref). */
  public static ObjectNode allOf(JsonNode... schemas) {
    ObjectNode node = NODES.objectNode();
    ArrayNode list = node.putArray("allOf");
    for (JsonNode s : schemas) {
      list.add(s);
    }
    return node;
  }

  /** {@code schema} or JSON null. */
  public static ObjectNode nullable(JsonNode schema) {
    return oneOf(schema, nullValue());
  }

  public static ObjectBuilder object(String description) {
    return new ObjectBuilder(description);
  }

  /**
   * An object schema that lists every member: the server's answers carry no member a schema does not name
   * ({@code additionalProperties: false}), so a client generated from it misses nothing.
   */
  public static final class ObjectBuilder {
    private final String description;
    private final ObjectNode properties = NODES.objectNode();
    private final List<String> required = new ArrayList<>();

    private ObjectBuilder(String description) {
      this.description = description;
    }

    public ObjectBuilder required(String name, JsonNode schema) {
      properties.set(name, schema);
      required.add(name);
      return this;
    }

    public ObjectBuilder optional(String name, JsonNode schema) {
      properties.set(name, schema);
      return this;
    }

    /** Every member of another object schema built here, as they are: for objects that extend another. */
    public ObjectBuilder membersOf(ObjectNode other) {
      other.get("properties").properties().forEach(e -> properties.set(e.getKey(), e.getValue().deepCopy()));
      other.get("required").forEach(n -> required.add(n.textValue()));
      return this;
    }

    public ObjectNode build() {
      ObjectNode node = NODES.objectNode().put("type", "object").put("description", description);
      node.set("properties", properties.deepCopy());
      ArrayNode list = node.putArray("required");
      required.forEach(list::add);
      node.put("additionalProperties", false);
      return node;
    }
  }
}
