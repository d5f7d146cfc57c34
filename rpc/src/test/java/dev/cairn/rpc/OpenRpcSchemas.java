package dev.cairn.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import dev.cairn.rpc.jsonrpc.OpenRpcDocument;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JSON Schema validation for the OpenRPC tests, offline: the OpenRPC meta-schema and the JSON Schema
 * meta-schema it refers to are read from test resources (see resources/openrpc/README.md) under their
 * published identifiers. Schemas are draft 7, the dialect OpenRPC 1.x names. Public for the node module's
 * tests (rpc's test-jar), which hold a real node's answers to what it publishes.
 */
public final class OpenRpcSchemas {
  /** The OpenRPC meta-schema's own dialect identifier: JSON Schema draft 7 under another name. */
  private static final String JSON_SCHEMA_TOOLS = "https://meta.json-schema.tools";
  private static final String OPENRPC_META = "classpath:openrpc/openrpc-meta-schema-1.14.9.json";
  private static final String JSON_SCHEMA_TOOLS_META = "classpath:openrpc/json-schema-tools-meta-schema-1.8.0.json";

  private final AtomicLong next = new AtomicLong();
  /** Draft 7, told that {@code components} (where a method schema's references point) is not a keyword. */
  private static final Dialect DRAFT_7 =
      Dialect.builder(Dialects.getDraft7()).keyword(new NonValidationKeyword("components")).build();

  private final SchemaRegistry registry = SchemaRegistry.withDialects(
      List.of(DRAFT_7, Dialect.builder(JSON_SCHEMA_TOOLS + "/", Dialects.getDraft7()).build()),
      builder -> builder.defaultDialectId(Dialects.getDraft7().getId()).schemaIdResolvers(resolvers -> resolvers
          .mappings(iri -> iri.startsWith(OpenRpcDocument.META_SCHEMA), iri -> OPENRPC_META)
          .mappings(iri -> iri.startsWith(JSON_SCHEMA_TOOLS), iri -> JSON_SCHEMA_TOOLS_META)));

  /** What is wrong with {@code document} as an OpenRPC document; empty when it is one. */
  public List<Error> metaSchemaErrors(JsonNode document) {
    return registry.getSchema(SchemaLocation.of(OpenRpcDocument.META_SCHEMA)).validate(document);
  }

  /**
   * What is wrong with {@code value} under {@code schema}, a schema taken from {@code document}: its
   * {@code #/components/...} references resolve in that document.
   */
  public List<Error> errors(JsonNode document, JsonNode schema, JsonNode value) {
    ObjectNode standalone = schema.deepCopy();
    standalone.set("components", document.get("components").deepCopy());
    // A fresh identifier per schema: the registry caches what it loaded by identifier.
    Schema compiled = registry.getSchema(SchemaLocation.of("urn:cairn:openrpc:schema:" + next.incrementAndGet()), standalone);
    return compiled.validate(value);
  }

  /**
   * What is wrong with {@code result} as the result of {@code method} under the result schema {@code document}
   * publishes for it; a method the document does not describe is an error of the test.
   */
  public List<Error> resultErrors(JsonNode document, String method, JsonNode result) {
    for (JsonNode m : document.get("methods")) {
      if (m.get("name").asText().equals(method)) {
        return errors(document, m.get("result").get("schema"), result);
      }
    }
    throw new AssertionError(method + " is not described in the document");
  }
}
