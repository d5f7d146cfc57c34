package dev.cairn.rpc.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.rpc.RpcConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The OpenRPC 1.x document of a server, built from the {@link MethodSpec}s of the methods it registered (the
 * answer of {@code rpc.discover}): methods with params, result, errors and examples; the shared schemas and
 * every {@link ErrorCode} under {@code components}; and, as {@code x-cairn-limits}, the limits of the
 * running {@link RpcConfig}, so a client can size its batches and its rate from the server it talks to.
 */
public final class OpenRpcDocument {
  public static final String OPENRPC_VERSION = "1.3.2";
  public static final String ERRORS = "#/components/errors/";
  /**
   * Errors any call of any method may get, besides those particular to the method. A call whose answer is large
   * gets -32048 when no large-answer permit came free. With authentication on, a call its token does not cover
   * gets -32063, and a call on a WebSocket opened with a token that has since expired -32062.
   */
  public static final List<ErrorCode> ANY_CALL_ERRORS = List.of(ErrorCode.INVALID_PARAMS, ErrorCode.INTERNAL_ERROR,
      ErrorCode.RESPONSE_TOO_LARGE, ErrorCode.SERVER_BUSY, ErrorCode.PERMISSION_DENIED, ErrorCode.TOKEN_EXPIRED);
  /**
   * Errors about a request body as a whole rather than one method: their id is null. The authentication ones
   * (HTTP 401) refuse a request before its body is read.
   */
  public static final List<ErrorCode> REQUEST_ERRORS = List.of(ErrorCode.PARSE_ERROR, ErrorCode.INVALID_REQUEST,
      ErrorCode.METHOD_NOT_FOUND, ErrorCode.RATE_LIMITED, ErrorCode.BATCH_TOO_LONG, ErrorCode.REQUEST_TOO_LARGE,
      ErrorCode.JSON_TOO_COMPLEX, ErrorCode.SHUTTING_DOWN, ErrorCode.UNAUTHENTICATED,
      ErrorCode.TOKEN_INVALID, ErrorCode.TOKEN_EXPIRED);
  /** Where a user name and password are exchanged for a token, outside JSON-RPC (x-cairn-login). */
  public static final String LOGIN_PATH = "/login";
  /** The error objects {@code POST /login} answers with (its body is not a JSON-RPC request). */
  public static final List<ErrorCode> LOGIN_ERRORS = List.of(ErrorCode.LOGIN_FAILED, ErrorCode.LOGIN_DISABLED,
      ErrorCode.RATE_LIMITED, ErrorCode.PARSE_ERROR, ErrorCode.INVALID_REQUEST, ErrorCode.REQUEST_TOO_LARGE);
  public static final String HTTP = "http";
  public static final String WEBSOCKET = "websocket";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private OpenRpcDocument() {}

  /** Where the OpenRPC meta-schema is published: the schema of {@code rpc.discover}'s result. */
  public static final String META_SCHEMA = "https://meta.open-rpc.org/";

  /** The service discovery method of the OpenRPC specification, for a document about {@code info}. */
  public static MethodSpec discoverSpec(Info info) {
    ObjectNode abridged = NODES.objectNode().put("openrpc", OPENRPC_VERSION);
    abridged.putObject("info").put("title", info.title()).put("version", info.version());
    abridged.putArray("methods").addObject().put("name", "cairn_chainId").putArray("params");
    return MethodSpec.named("rpc.discover", "This server's OpenRPC document: every method it serves, described.")
        .description("Generated from the methods the server registered, with their params, results, errors and "
            + "examples, the shared schemas, and the server's limits (x-cairn-limits).")
        .result("openrpcDocument", "an OpenRPC document", NODES.objectNode().put("$ref", META_SCHEMA))
        .example("abridged", "the shape of the answer, cut to one method", abridged)
        .build();
  }

  /** What the document says about the API as a whole. */
  public record Info(String title, String version, String description) {}

  /**
   * @param anyTransport methods served over HTTP and WebSocket
   * @param webSocketOnly methods served only over WebSocket (over HTTP they answer {@link ErrorCode#WEBSOCKET_ONLY})
   * @param schemas the shared schemas the methods' schemas refer to
   */
  public static ObjectNode build(Info info, RpcConfig config, List<MethodSpec> anyTransport,
      List<MethodSpec> webSocketOnly, Map<String, ? extends JsonNode> schemas) {
    ObjectNode doc = NODES.objectNode().put("openrpc", OPENRPC_VERSION);
    doc.putObject("info").put("title", info.title()).put("version", info.version()).put("description", info.description());
    ArrayNode servers = doc.putArray("servers");
    RpcConfig defaults = RpcConfig.defaults();
    String address = defaults.host() + ":" + defaults.port();
    servers.add(server(HTTP, "http://" + address + "/", "JSON-RPC over HTTP POST"));
    servers.add(server(WEBSOCKET, "ws://" + address + RpcConfig.WS_PATH,
        "JSON-RPC over WebSocket text messages, with subscriptions"));
    ArrayNode methods = doc.putArray("methods");
    Set<String> names = new HashSet<>();
    for (MethodSpec spec : anyTransport) {
      methods.add(method(spec, List.of(HTTP, WEBSOCKET), List.of(), names));
    }
    for (MethodSpec spec : webSocketOnly) {
      methods.add(method(spec, List.of(WEBSOCKET), List.of(ErrorCode.WEBSOCKET_ONLY), names));
    }
    ObjectNode components = doc.putObject("components");
    ObjectNode schemaNodes = components.putObject("schemas");
    schemas.forEach((name, schema) -> schemaNodes.set(name, schema.deepCopy()));
    ObjectNode errors = components.putObject("errors");
    for (ErrorCode code : ErrorCode.values()) {
      errors.putObject(errorName(code)).put("code", code.code()).put("message", code.message());
    }
    ArrayNode requestErrors = doc.putArray("x-cairn-request-errors");
    REQUEST_ERRORS.forEach(code -> requestErrors.add(errorRef(code)));
    doc.set("x-cairn-login", login());
    doc.set("x-cairn-limits", limits(config));
    return doc;
  }

  /** The component name of an error code: {@code UNKNOWN_TX} is {@code UnknownTx}. */
  public static String errorName(ErrorCode code) {
    StringBuilder name = new StringBuilder();
    for (String word : code.name().toLowerCase(Locale.ROOT).split("_")) {
      name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
    }
    return name.toString();
  }

  /**
   * A server at a node's default address: the document is the same on every node (its URL is where the
   * caller already is), and the meta-schema wants a plain URI, not a template.
   */
  private static ObjectNode server(String name, String url, String summary) {
    return NODES.objectNode().put("name", name).put("url", url).put("summary", summary)
        .put("description", "the default address; a node's [rpc] host and port set its own");
  }

  private static ObjectNode method(MethodSpec spec, List<String> transports, List<ErrorCode> transportErrors,
      Set<String> seen) {
    if (!seen.add(spec.name())) {
      throw new IllegalArgumentException("method described twice: " + spec.name());
    }
    ObjectNode method = NODES.objectNode().put("name", spec.name()).put("summary", spec.summary());
    if (!spec.description().isEmpty()) {
      method.put("description", spec.description());
    }
    method.put("paramStructure", "either");
    ArrayNode params = method.putArray("params");
    for (MethodSpec.Param p : spec.params()) {
      params.addObject().put("name", p.name()).put("description", p.description()).put("required", p.required())
          .set("schema", p.schema().deepCopy());
    }
    method.putObject("result").put("name", spec.result().name()).put("description", spec.result().description())
        .set("schema", spec.result().schema().deepCopy());
    ArrayNode errors = method.putArray("errors");
    List<ErrorCode> all = new ArrayList<>(spec.errors());
    all.addAll(transportErrors);
    all.addAll(ANY_CALL_ERRORS);
    all.stream().distinct().forEach(c -> errors.add(errorRef(c)));
    ArrayNode examples = method.putArray("examples");
    for (MethodSpec.Example e : spec.examples()) {
      ObjectNode pairing = examples.addObject().put("name", e.name());
      if (!e.description().isEmpty()) {
        pairing.put("description", e.description());
      }
      ArrayNode values = pairing.putArray("params");
      for (int i = 0; i < e.params().size(); i++) {
        values.addObject().put("name", spec.params().get(i).name()).set("value", e.params().get(i).deepCopy());
      }
      pairing.putObject("result").put("name", spec.result().name()).set("value", e.result().deepCopy());
    }
    ArrayNode transportList = method.putArray("x-cairn-transports");
    transports.forEach(transportList::add);
    spec.extensions().forEach((key, value) -> method.set(key, value.deepCopy()));
    return method;
  }

  private static ObjectNode errorRef(ErrorCode code) {
    return NODES.objectNode().put("$ref", ERRORS + errorName(code));
  }

  /**
   * {@code POST /login}, which is not JSON-RPC: its body, its answer and the error objects it answers with
   * (with HTTP 401, 404, 413, 429 or 400). Described on every server; it is served only with authentication on.
   */
  private static ObjectNode login() {
    ObjectNode login = NODES.objectNode().put("path", LOGIN_PATH)
        .put("summary", "Exchanges a user name and password of the node's credentials file for a bearer token.")
        .put("description", "Served only with authentication on (rpc-auth.enabled); -32065 (HTTP 404) without a "
            + "credentials file. Attempts are rate limited per client address. The token goes in the "
            + "'Authorization: Bearer TOKEN' header of JSON-RPC requests and WebSocket upgrades.");
    login.set("request", Schemas.object("the body of POST " + LOGIN_PATH)
        .required("username", Schemas.string("user name"))
        .required("password", Schemas.string("password"))
        .build());
    login.set("result", Schemas.object("the answer (HTTP 200, Cache-Control: no-store)")
        .required("token", Schemas.string("an ES256 JWT carrying the user's permissions"))
        .required("expiresAt", Schemas.integer(0, Long.MAX_VALUE, "when the token expires, Unix milliseconds"))
        .build());
    ArrayNode errors = login.putArray("errors");
    LOGIN_ERRORS.forEach(code -> errors.add(errorRef(code)));
    return login;
  }

  /** The limits a client meets, with the names of {@link RpcConfig}'s fields (units are in the names). */
  private static ObjectNode limits(RpcConfig config) {
    return NODES.objectNode()
        .put("requestBodyBytesMax", config.requestBodyBytesMax())
        .put("batchLengthMax", config.batchLengthMax())
        .put("requestsPerSecondPerIp", config.requestsPerSecondPerIp())
        .put("requestBurstMax", config.requestBurstMax())
        .put("responseBytesMax", config.responseBytesMax())
        .put("jsonNestingDepthMax", config.jsonNestingDepthMax())
        .put("jsonNumberDigitsMax", config.jsonNumberDigitsMax())
        .put("wsConnectionsMax", config.wsConnectionsMax())
        .put("wsSubscriptionsPerConnectionMax", config.wsSubscriptionsPerConnectionMax())
        .put("wsQueueMessagesMax", config.wsQueueMessagesMax())
        .put("wsQueueBytesMax", config.wsQueueBytesMax())
        .put("largeAnswerBytes", config.answerLimits().largeAnswerBytes())
        .put("largeAnswersMax", config.answerLimits().largeAnswersMax())
        .put("largeAnswersPerClientMax", config.answerLimits().largeAnswersPerClientMax())
        .put("largeAnswerWaitMillis", config.answerLimits().largeAnswerWaitMillis())
        .put("answerWriteTimeoutMillis", config.answerLimits().answerWriteTimeoutMillis())
        .put("wsIdleTimeoutMillis", config.wsIdleTimeoutMillis())
        .put("pendingTransactionsReturnedMax", config.pendingTransactionsReturnedMax())
        .put("historyEntriesReturnedMax", config.historyEntriesReturnedMax());
  }
}
