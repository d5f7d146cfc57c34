package dev.cairn.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import dev.cairn.rpc.admin.AdminMethods;
import dev.cairn.ledger.model.Limits;
import dev.cairn.rpc.jsonrpc.ErrorCode;
import dev.cairn.rpc.jsonrpc.OpenRpcDocument;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenRPC document rpc.discover answers: a valid OpenRPC document, describing exactly the methods the
 * server registered, with examples that satisfy their own schemas; served by a real server over HTTP and
 * WebSocket. The server has the admin namespace on, so its methods are held to all of it; a server without it
 * describes none of them.
 */
class OpenRpcDocumentTest {
  private static final OpenRpcSchemas SCHEMAS = new OpenRpcSchemas();
  private static RpcTestServer rpc;
  private static JsonNode document;

  @BeforeAll
  static void start() {
    rpc = RpcTestServer.withAdmin(RpcConfig.defaults());
    document = rpc.server.discoverDocument();
  }

  @AfterAll
  static void stop() {
    rpc.close();
  }

  private static List<JsonNode> methods() {
    List<JsonNode> methods = new ArrayList<>();
    document.get("methods").forEach(methods::add);
    return methods;
  }

  private static Set<String> documentedNames() {
    Set<String> names = new TreeSet<>();
    methods().forEach(m -> names.add(m.get("name").asText()));
    return names;
  }

  @Test
  void theDocumentIsAValidOpenRpcDocument() {
    assertThat(SCHEMAS.metaSchemaErrors(document)).as("meta-schema errors").isEmpty();
    assertThat(document.get("openrpc").asText()).isEqualTo(OpenRpcDocument.OPENRPC_VERSION);
  }

  @Test
  void theMetaSchemaCheckCatchesABrokenDocument() {
    ObjectNode unnamed = document.deepCopy();
    ((ObjectNode) unnamed.get("methods").get(0)).remove("name");
    assertThat(SCHEMAS.metaSchemaErrors(unnamed)).as("a method without a name").isNotEmpty();
    ObjectNode badParamSchema = document.deepCopy();
    ((ObjectNode) badParamSchema.get("methods").get(3).get("params").get(0)).put("schema", "not a schema");
    assertThat(SCHEMAS.metaSchemaErrors(badParamSchema)).as("a param schema that is a string").isNotEmpty();
    ObjectNode badError = document.deepCopy();
    badError.with("components").with("errors").putObject("Odd").put("code", "-32000");
    assertThat(SCHEMAS.metaSchemaErrors(badError)).as("an error whose code is text").isNotEmpty();
  }

  @Test
  void everyRegisteredMethodIsDocumentedAndEveryDocumentedOneRegistered() {
    Set<String> registered = new TreeSet<>(rpc.server.httpMethodNames());
    registered.addAll(rpc.server.webSocketMethodNames());
    assertThat(documentedNames()).isEqualTo(registered);
    assertThat(rpc.server.webSocketMethodNames()).as("WebSocket serves every method").isEqualTo(registered);
    assertThat(registered).contains("rpc.discover", "cairn_getProof", "cairn_subscribe", "cairn_unsubscribe",
        "admin_peers", "admin_setLogLevel");
    for (JsonNode method : methods()) {
      List<String> transports = new ArrayList<>();
      method.get("x-cairn-transports").forEach(t -> transports.add(t.asText()));
      assertThat(transports).as(method.get("name").asText()).contains(OpenRpcDocument.WEBSOCKET);
      if (!transports.contains(OpenRpcDocument.HTTP)) {
        assertThat(method.toString()).as("a WebSocket-only method lists -32045")
            .contains(OpenRpcDocument.errorName(ErrorCode.WEBSOCKET_ONLY));
      }
    }
  }

  @Test
  void adminMethodsAreDescribedOnlyByAServerThatServesThem() {
    Set<String> admin = new TreeSet<>();
    new AdminMethods(new FixedNodeAdmin()).all().forEach(m -> admin.add(m.name()));
    try (RpcTestServer plain = new RpcTestServer(RpcConfig.defaults())) {
      Set<String> plainNames = new TreeSet<>();
      plain.server.discoverDocument().get("methods").forEach(m -> plainNames.add(m.get("name").asText()));
      assertThat(plainNames).as("no admin_ method without the namespace").noneMatch(n -> n.startsWith("admin_"));
      assertThat(plain.call("admin_peers", "[]").path("error").path("code").asInt()).isEqualTo(-32601);
      Set<String> added = new TreeSet<>(documentedNames());
      added.removeAll(plainNames);
      assertThat(added).as("what enabling the namespace adds").isEqualTo(admin);
      assertThat(plain.server.discoverDocument().get("components"))
          .as("the admin methods' schemas refer only to shared ones every server publishes")
          .isEqualTo(document.get("components"));
    }
  }

  /** From outside: each documented method, called with its first example's params, is found on each transport. */
  @Test
  void everyDocumentedMethodAnswersOverHttpAndWebSocket() {
    try (WsTestClient ws = new WsTestClient(rpc.wsUri())) {
      for (JsonNode method : methods()) {
        String name = method.get("name").asText();
        String params = exampleParams(method.get("examples").get(0)).toString();
        JsonNode overHttp = rpc.call(name, params);
        JsonNode overWs = ws.call(name, params);
        assertThat(overWs.path("error").path("code").asInt()).as(name + " over WebSocket").isNotEqualTo(-32601);
        boolean httpServed = method.get("x-cairn-transports").toString().contains("\"http\"");
        int httpCode = overHttp.path("error").path("code").asInt();
        if (httpServed) {
          assertThat(httpCode).as(name + " over HTTP").isNotEqualTo(-32601).isNotEqualTo(-32045);
        } else {
          assertThat(httpCode).as(name + " over HTTP").isEqualTo(-32045);
        }
      }
    }
  }

  @Test
  void everyExampleSatisfiesItsMethodsSchemas() {
    int checked = 0;
    for (JsonNode method : methods()) {
      String name = method.get("name").asText();
      assertThat(method.get("examples")).as(name + " examples").isNotEmpty();
      for (JsonNode example : method.get("examples")) {
        JsonNode params = example.get("params");
        for (int i = 0; i < params.size(); i++) {
          JsonNode param = method.get("params").get(i);
          assertThat(params.get(i).get("name").asText()).isEqualTo(param.get("name").asText());
          List<Error> errors = SCHEMAS.errors(document, param.get("schema"), params.get(i).get("value"));
          assertThat(errors).as(name + " example '" + example.get("name").asText() + "' param " + i).isEmpty();
          checked++;
        }
        List<Error> errors = SCHEMAS.errors(document, method.get("result").get("schema"), example.get("result").get("value"));
        assertThat(errors).as(name + " example '" + example.get("name").asText() + "' result").isEmpty();
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(2 * methods().size());
  }

  @Test
  void theSchemasRefuseWhatTheServerRefuses() {
    JsonNode getReceipt = method("cairn_getReceipt");
    JsonNode txId = getReceipt.get("params").get(0).get("schema");
    assertThat(SCHEMAS.errors(document, txId, RpcTestServer.MAPPER.getNodeFactory().textNode("0x12"))).isNotEmpty();
    JsonNode getAccount = method("cairn_getAccount");
    JsonNode address = getAccount.get("params").get(0).get("schema");
    assertThat(SCHEMAS.errors(document, address, RpcTestServer.MAPPER.getNodeFactory().textNode("cairn1notanaddress")))
        .isNotEmpty();
    JsonNode block = method("cairn_getBlockByNumber").get("params").get(0).get("schema");
    assertThat(SCHEMAS.errors(document, block, RpcTestServer.MAPPER.getNodeFactory().numberNode(-1))).isNotEmpty();
    assertThat(SCHEMAS.errors(document, block, RpcTestServer.MAPPER.getNodeFactory().textNode("pending"))).isNotEmpty();
    JsonNode receipt = getReceipt.get("result").get("schema");
    ObjectNode extraMember = getReceipt.get("examples").get(0).get("result").get("value").deepCopy();
    extraMember.put("gasUsed", 1);
    assertThat(SCHEMAS.errors(document, receipt, extraMember)).as("a member the schema does not name").isNotEmpty();
    JsonNode setLogLevel = method("admin_setLogLevel");
    JsonNode logger = setLogLevel.get("params").get(0).get("schema");
    JsonNode level = setLogLevel.get("params").get(1).get("schema");
    var text = RpcTestServer.MAPPER.getNodeFactory();
    assertThat(SCHEMAS.errors(document, logger, text.textNode("dev..cairn"))).isNotEmpty();
    assertThat(SCHEMAS.errors(document, logger, text.textNode("dev.cairn.p2p"))).isEmpty();
    assertThat(SCHEMAS.errors(document, level, text.textNode("LOUD"))).isNotEmpty();
    assertThat(SCHEMAS.errors(document, level, text.textNode("dEbUg"))).as("the server takes any case").isEmpty();
    assertThat(rpc.call("admin_setLogLevel", "[\"dev.cairn.p2p\", \"dEbUg\"]").path("result").path("level").asText())
        .isEqualTo("DEBUG");
    JsonNode evidenceLimit = method("admin_evidence").get("params").get(0).get("schema");
    assertThat(SCHEMAS.errors(document, evidenceLimit, text.numberNode(0))).isNotEmpty();
    assertThat(rpc.call("admin_evidence", "[0]").path("error").path("code").asInt()).isEqualTo(-32602);
  }

  /**
   * A history cursor or page size is refused by the published schema exactly when the server refuses it
   * with -32602: the pattern spells out the height and index bounds, the limit range is the config's.
   */
  @Test
  void theHistorySchemasRefuseExactlyTheCursorsAndLimitsTheServerRefuses() {
    JsonNode history = method("cairn_getAccountHistory");
    JsonNode cursor = history.get("params").get(1).get("schema");
    JsonNode limit = history.get("params").get(2).get("schema");
    String index = String.format("%08x", Limits.BLOCK_TXS_MAX);
    String lastIndex = String.format("%08x", Limits.BLOCK_TXS_MAX - 1);
    Map<String, Boolean> cursors = new LinkedHashMap<>();
    cursors.put("0x000000000000000c00000000", true);
    cursors.put("0x7fffffffffffffff" + lastIndex.toUpperCase(java.util.Locale.ROOT), true);
    cursors.put("0x0000000000000001" + index, false);
    cursors.put("0x8000000000000000" + "00000000", false);
    cursors.put("0xffffffffffffffff" + "00000000", false);
    cursors.put("0x000000000000000c000000", false);
    cursors.put("0x000000000000000c0000000000", false);
    cursors.put("000000000000000c00000000", false);
    cursors.put("0x000000000000000c0000000g", false);
    String alice = "\"" + dev.cairn.ledger.crypto.KeyPair.fromSeedText("alice").address().toText() + "\"";
    for (Map.Entry<String, Boolean> c : cursors.entrySet()) {
      JsonNode value = RpcTestServer.MAPPER.getNodeFactory().textNode(c.getKey());
      assertThat(SCHEMAS.errors(document, cursor, value).isEmpty()).as("schema takes cursor " + c.getKey()).isEqualTo(c.getValue());
      JsonNode answer = rpc.call("cairn_getAccountHistory", "[" + alice + ", \"" + c.getKey() + "\"]");
      assertThat(answer.has("result")).as("server takes cursor " + c.getKey() + ": " + answer).isEqualTo(c.getValue());
    }
    int max = RpcConfig.defaults().historyEntriesReturnedMax();
    for (int n : new int[] {-1, 0, 1, max, max + 1}) {
      boolean taken = n >= 1 && n <= max;
      JsonNode value = RpcTestServer.MAPPER.getNodeFactory().numberNode(n);
      assertThat(SCHEMAS.errors(document, limit, value).isEmpty()).as("schema takes limit " + n).isEqualTo(taken);
      JsonNode answer = rpc.call("cairn_getAccountHistory", "[" + alice + ", null, " + n + "]");
      assertThat(answer.has("result")).as("server takes limit " + n + ": " + answer).isEqualTo(taken);
    }
  }

  @Test
  void everyErrorCodeIsUnderComponentsAndEveryReferenceResolves() {
    JsonNode errors = document.get("components").get("errors");
    Set<Integer> codes = new HashSet<>();
    errors.forEach(e -> codes.add(e.get("code").asInt()));
    for (ErrorCode code : ErrorCode.values()) {
      assertThat(codes).contains(code.code());
    }
    List<String> refs = new ArrayList<>();
    collectRefs(document, refs);
    assertThat(refs).isNotEmpty();
    for (String ref : refs) {
      if (ref.startsWith("#/")) {
        assertThat(document.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
      }
    }
    Set<String> referenced = new TreeSet<>();
    refs.stream().filter(r -> r.startsWith(OpenRpcDocument.ERRORS)).forEach(r -> referenced.add(r.substring(OpenRpcDocument.ERRORS.length())));
    for (ErrorCode code : ErrorCode.values()) {
      assertThat(referenced).as(code + " is said to be answered by some method or by the request checks")
          .contains(OpenRpcDocument.errorName(code));
    }
    assertThat(method("cairn_sendTransaction").get("errors").toString())
        .contains("MalformedTx", "WrongChainId", "BadSignature", "MempoolFull", "SenderLimit");
    assertThat(method("admin_peers").get("errors").toString()).as("with authentication on, any call may be refused")
        .contains("PermissionDenied", "TokenExpired");
    assertThat(document.get("x-cairn-login").get("errors").toString()).contains("LoginFailed", "LoginDisabled");
  }

  @Test
  void theLimitsAreTheRunningServers() {
    RpcConfig config = RpcConfig.defaults();
    JsonNode limits = document.get("x-cairn-limits");
    assertThat(limits.get("batchLengthMax").asInt()).isEqualTo(config.batchLengthMax());
    assertThat(limits.get("requestBodyBytesMax").asInt()).isEqualTo(config.requestBodyBytesMax());
    assertThat(limits.get("requestsPerSecondPerIp").asInt()).isEqualTo(config.requestsPerSecondPerIp());
    assertThat(limits.get("wsSubscriptionsPerConnectionMax").asInt()).isEqualTo(config.wsSubscriptionsPerConnectionMax());
    try (RpcTestServer small = new RpcTestServer(RpcTestServer.testConfig())) {
      JsonNode smallLimits = small.call("rpc.discover", "[]").get("result").get("x-cairn-limits");
      assertThat(smallLimits.get("batchLengthMax").asInt()).isEqualTo(RpcTestServer.testConfig().batchLengthMax());
      assertThat(smallLimits.get("wsSubscriptionsPerConnectionMax").asInt())
          .isEqualTo(RpcTestServer.testConfig().wsSubscriptionsPerConnectionMax());
    }
  }

  @Test
  void rpcDiscoverIsAnsweredOverHttpAndWebSocket() throws Exception {
    HttpResponse<String> response = rpc.post("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"rpc.discover\"}");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode answer = RpcTestServer.MAPPER.readTree(response.body());
    assertThat(answer.get("id").asInt()).isEqualTo(7);
    // Compared as parsed JSON: the server's tree and a parsed one differ in number node types only.
    JsonNode expected = RpcTestServer.MAPPER.readTree(document.toString());
    assertThat(answer.get("result").equals(expected)).as("HTTP answer is the server's document").isTrue();
    assertThat(SCHEMAS.metaSchemaErrors(answer.get("result"))).isEmpty();
    try (WsTestClient ws = new WsTestClient(rpc.wsUri())) {
      assertThat(ws.call("rpc.discover", "[]").get("result").equals(expected)).as("WebSocket answer").isTrue();
    }
  }

  private static JsonNode method(String name) {
    return methods().stream().filter(m -> m.get("name").asText().equals(name)).findFirst().orElseThrow();
  }

  private static JsonNode exampleParams(JsonNode example) {
    var array = RpcTestServer.MAPPER.createArrayNode();
    example.get("params").forEach(p -> array.add(p.get("value")));
    return array;
  }

  private static void collectRefs(JsonNode node, List<String> refs) {
    if (node.isObject()) {
      JsonNode ref = node.get("$ref");
      if (ref != null && ref.isTextual()) {
        refs.add(ref.asText());
      }
      node.forEach(child -> collectRefs(child, refs));
    } else if (node.isArray()) {
      node.forEach(child -> collectRefs(child, refs));
    }
  }
}
