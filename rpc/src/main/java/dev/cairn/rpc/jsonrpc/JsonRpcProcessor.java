package dev.cairn.rpc.jsonrpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.rpc.RpcConfig;
import dev.cairn.rpc.RpcObserver;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON-RPC 2.0 protocol, independent of the transport: parses a request body, checks each request
 * object, dispatches it, and builds the response (single, batch, or none for notifications). Nothing a
 * client sends can make this throw: every failure becomes an error object, and an unexpected exception in a
 * method becomes {@link ErrorCode#INTERNAL_ERROR} with the stack trace only in the server log.
 *
 * <p>An answer whose JSON grows past {@link RpcConfig.AnswerLimits#largeAnswerBytes} takes one of the node's
 * {@link LargeAnswerPermits} before it grows further (a batch: before the call's answer that crosses the size
 * is added); the transport gives it back once the answer is written ({@link Reply.Answer#release}).
 */
public final class JsonRpcProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(JsonRpcProcessor.class);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int ECHOED_METHOD_CHARS_MAX = 64;

  private final RpcConfig config;
  private final ObjectMapper reader;
  private final RpcObserver observer;
  private final LargeAnswerPermits largeAnswers;

  public JsonRpcProcessor(RpcConfig config) {
    this(config, RpcObserver.NONE);
  }

  /** @param observer told about every answered call (method, error code, time), for metrics */
  public JsonRpcProcessor(RpcConfig config, RpcObserver observer) {
    this.config = config;
    this.reader = Json.requestReader(config);
    this.observer = observer;
    this.largeAnswers = new LargeAnswerPermits(config.answerLimits());
  }

  /** The node-wide large-answer permits this processor hands out (for metrics and tests). */
  public LargeAnswerPermits largeAnswers() {
    return largeAnswers;
  }

  /** What to send back for one body: a JSON document, or nothing (only notifications were sent). */
  public sealed interface Reply {
    /**
     * A JSON document to write. A large one carries its permit: the transport calls {@link #release} once
     * the answer is written, failed or abandoned.
     */
    record Answer(JsonNode body, boolean rateLimited, Optional<LargeAnswerPermits.Permit> permit,
        Optional<Json.Written> written) implements Reply {
      public Answer(JsonNode body, boolean rateLimited) {
        this(body, rateLimited, Optional.empty(), Optional.empty());
      }

      public Answer(JsonNode body, boolean rateLimited, Optional<LargeAnswerPermits.Permit> permit) {
        this(body, rateLimited, permit, Optional.empty());
      }

      /**
       * The answer's JSON as the transport writes it: the bytes made once when it was measured for the byte
       * caps, or (a large answer, which is only counted until its permit is held) {@code body} written now;
       * the same bytes either way.
       */
      public Json.Written json() {
        if (written.isPresent() && written.get().isKept()) {
          return written.get();
        }
        try {
          return Json.Written.kept(Json.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
          throw new IllegalStateException("a JSON tree built here must serialize", e);
        }
      }

      /** Gives back the large-answer permit, if any; idempotent. */
      public void release() {
        permit.ifPresent(LargeAnswerPermits.Permit::close);
      }
    }

    record Nothing() implements Reply {}
  }

  /**
   * Every body costs one token before it is parsed (so a flood of garbage is limited too); a batch costs one
   * more token for each call after the first.
   */
  public Reply process(byte[] body, MethodLookup methods, TokenBucket bucket) {
    return process(body, methods, bucket, Caller.UNRESTRICTED, LOCAL_CLIENT);
  }

  /** The client address of calls made in-process (tests, tools): one address, so one large answer at a time. */
  public static final String LOCAL_CLIENT = "local";

  /**
   * As {@link #process(byte[], MethodLookup, TokenBucket)} for an authenticated {@code caller} at address
   * {@code client}: each call is checked against its permissions before it runs (and before a batch prelude
   * spends work on it); a large answer takes a permit counted against {@code client}.
   */
  public Reply process(byte[] body, MethodLookup methods, TokenBucket bucket, Caller caller, String client) {
    if (!bucket.tryTake(1)) {
      return new Reply.Answer(rateLimited(), true);
    }
    JsonNode root;
    try {
      root = reader.readTree(body);
    } catch (JsonProcessingException e) {
      StreamConstraintsException limit = constraintBehind(e);
      if (limit != null) {
        return answer(unnamed(ErrorCode.JSON_TOO_COMPLEX, constraintDetail(limit)));
      }
      return answer(unnamed(ErrorCode.PARSE_ERROR, "not valid JSON"));
    } catch (IOException e) {
      return answer(unnamed(ErrorCode.PARSE_ERROR, "unreadable body"));
    }
    if (root == null || root.isMissingNode()) {
      return answer(unnamed(ErrorCode.PARSE_ERROR, "empty body"));
    }
    if (root.isArray()) {
      return batch((ArrayNode) root, methods, bucket, caller, client);
    }
    Optional<Sized> answer = one(root, methods, config.responseBytesMax(), caller);
    if (answer.isEmpty()) {
      return new Reply.Nothing();
    }
    if (answer.get().bytes() <= config.answerLimits().largeAnswerBytes()) {
      return new Reply.Answer(answer.get().response(), false, Optional.empty(), Optional.of(answer.get().written()));
    }
    // Large: its bytes are made only under a permit; the tree is dropped if none comes.
    return switch (largeAnswers.acquire(client)) {
      case LargeAnswerPermits.Permit permit -> new Reply.Answer(answer.get().response(), false, Optional.of(permit));
      case LargeAnswerPermits.Refused refused -> answer(busy(answer.get().response().get("id"), refused));
    };
  }

  /** A call's answer and its JSON (its size, and its bytes unless it is large). */
  private record Sized(ObjectNode response, Json.Written written) {
    long bytes() {
      return written.size();
    }
  }

  private Reply batch(ArrayNode calls, MethodLookup methods, TokenBucket bucket, Caller caller, String client) {
    if (calls.isEmpty()) {
      return answer(unnamed(ErrorCode.INVALID_REQUEST, "empty batch"));
    }
    if (calls.size() > config.batchLengthMax()) {
      return answer(error(NullNode.instance, ErrorCode.BATCH_TOO_LONG,
          calls.size() + " calls, at most " + config.batchLengthMax(),
          NODES.objectNode().put("batchLengthMax", config.batchLengthMax())));
    }
    if (calls.size() > 1 && !bucket.tryTake(calls.size() - 1)) {
      return new Reply.Answer(rateLimited(), true);
    }
    List<RpcMethod.BatchPrelude> prepared = runPreludes(calls, methods, caller);
    try {
      return answerBatch(calls, methods, caller, client);
    } finally {
      finishPreludes(prepared);
    }
  }

  private Reply answerBatch(ArrayNode calls, MethodLookup methods, Caller caller, String client) {
    ArrayNode responses = NODES.arrayNode();
    // The answers' JSON made while measuring them, in order; null once an answer is added unmeasured.
    List<Json.Written> written = new ArrayList<>();
    long budget = config.responseBytesMax() - 2; // the batch's brackets
    long size = 2;
    Optional<LargeAnswerPermits.Permit> permit = Optional.empty();
    LargeAnswerPermits.Refused busy = null;
    for (JsonNode call : calls) {
      if (busy != null) {
        // No permit for a large answer: the rest are not run; each gets -32048 so the client knows which to ask again.
        Optional<ObjectNode> refused = refusedUnrun(call, busy);
        if (refused.isPresent()) {
          responses.add(refused.get());
          written = null;
        }
        continue;
      }
      if (budget <= 0) {
        // Spent: the rest are not run; each still gets its answer, so the client knows which to ask again.
        Optional<ObjectNode> refused = refusedForSize(call);
        if (refused.isPresent()) {
          responses.add(refused.get());
          written = null;
        }
        continue;
      }
      Optional<Sized> response = one(call, methods, budget - 1, caller); // less the comma
      if (response.isEmpty()) {
        continue;
      }
      long bytes = response.get().bytes() + 1;
      if (bytes > budget) {
        // Not even the -32047 that replaced it fits: the rest are refused unrun.
        responses.add(tooLarge(response.get().response().get("id"), config.responseBytesMax()));
        written = null;
        budget = 0;
        continue;
      }
      if (permit.isEmpty() && size + bytes > config.answerLimits().largeAnswerBytes()) {
        // The answer becomes large with this call's: a permit before it grows.
        switch (largeAnswers.acquire(client)) {
          case LargeAnswerPermits.Permit p -> permit = Optional.of(p);
          case LargeAnswerPermits.Refused r -> {
            busy = r;
            responses.add(busy(response.get().response().get("id"), r));
            written = null;
            continue;
          }
        }
      }
      responses.add(response.get().response());
      if (written != null) {
        written.add(response.get().written());
      }
      budget -= bytes;
      size += bytes;
    }
    if (responses.isEmpty()) {
      permit.ifPresent(LargeAnswerPermits.Permit::close);
      return new Reply.Nothing();
    }
    Optional<Json.Written> json = written == null ? Optional.empty() : Json.Written.array(written);
    return new Reply.Answer(responses, false, permit, json);
  }

  /** The answer to a batch call left unrun because the batch's large answer found no permit. */
  private static Optional<ObjectNode> refusedUnrun(JsonNode call, LargeAnswerPermits.Refused refused) {
    if (!call.isObject() || call.get("id") == null) {
      return call.isObject() ? Optional.empty() : Optional.of(error(NullNode.instance, ErrorCode.INVALID_REQUEST, "request must be an object", null));
    }
    return Optional.of(busy(call.get("id"), refused));
  }

  /** -32048 for a call whose answer needed a large-answer permit and found none. */
  private static ObjectNode busy(JsonNode id, LargeAnswerPermits.Refused refused) {
    JsonNode echo = id != null && (id.isTextual() || id.isNumber()) ? id : NullNode.instance;
    return error(echo, ErrorCode.SERVER_BUSY, refused.detail(), null);
  }

  /** The answer to a batch call left unrun because the batch's answer already reached the bound. */
  private Optional<ObjectNode> refusedForSize(JsonNode call) {
    if (!call.isObject() || call.get("id") == null) {
      return call.isObject() ? Optional.empty() : Optional.of(error(NullNode.instance, ErrorCode.INVALID_REQUEST, "request must be an object", null));
    }
    JsonNode id = call.get("id");
    return Optional.of(tooLarge(id.isTextual() || id.isNumber() ? id : NullNode.instance, config.responseBytesMax()));
  }

  private static ObjectNode tooLarge(JsonNode id, long responseBytesMax) {
    return error(id == null ? NullNode.instance : id, ErrorCode.RESPONSE_TOO_LARGE,
        "the answer would exceed " + responseBytesMax + " bytes; ask for less (fewer calls per batch, a smaller range)",
        NODES.objectNode().put("responseBytesMax", responseBytesMax));
  }

  /**
   * Gives each method with a {@link RpcMethod.BatchPrelude} the params of its well-formed calls in this
   * batch. A request the calls will refuse is simply left out here; a prelude failing changes no answer.
   * Returns the preludes run, to be {@link #finishPreludes finished} after the batch.
   */
  private static List<RpcMethod.BatchPrelude> runPreludes(ArrayNode calls, MethodLookup methods, Caller caller) {
    Instant now = Instant.now();
    Map<RpcMethod, List<Params>> byMethod = null;
    for (JsonNode call : calls) {
      JsonNode name = call.isObject() ? call.get("method") : null;
      if (name == null || !name.isTextual()) {
        continue;
      }
      Optional<RpcMethod> method = methods.find(name.textValue());
      JsonNode params = call.get("params");
      if (method.isEmpty() || method.get().prelude() == RpcMethod.BatchPrelude.NONE
          || (params != null && !params.isArray() && !params.isObject())
          || caller.refusal(method.get().name(), now).isPresent()) {
        continue;
      }
      try {
        Params parsed = Params.of(method.get().paramNames(), params);
        if (byMethod == null) {
          byMethod = new LinkedHashMap<>();
        }
        byMethod.computeIfAbsent(method.get(), m -> new ArrayList<>()).add(parsed);
      } catch (RpcFailure badParams) {
        // The call itself reports it.
      }
    }
    if (byMethod == null) {
      return List.of();
    }
    List<RpcMethod.BatchPrelude> run = new ArrayList<>(byMethod.size());
    byMethod.forEach((method, params) -> {
      run.add(method.prelude());
      try {
        method.prelude().prepare(params);
      } catch (RuntimeException e) {
        LOG.warn("rpc batch prelude threw method={}", method.name(), e);
      }
    });
    return run;
  }

  private static void finishPreludes(List<RpcMethod.BatchPrelude> preludes) {
    for (RpcMethod.BatchPrelude prelude : preludes) {
      try {
        prelude.finish();
      } catch (RuntimeException e) {
        LOG.warn("rpc batch prelude finish threw", e);
      }
    }
  }

  /**
   * Handles one request object; empty for a notification (which is never answered, even on error). An
   * answer larger than {@code bytesMax} serialized is replaced by {@link ErrorCode#RESPONSE_TOO_LARGE}.
   */
  private Optional<Sized> one(JsonNode request, MethodLookup methods, long bytesMax, Caller caller) {
    if (!request.isObject()) {
      return sized(unnamed(ErrorCode.INVALID_REQUEST, "request must be an object"));
    }
    JsonNode id = request.get("id");
    boolean notification = id == null;
    if (id != null && !(id.isTextual() || id.isNumber() || id.isNull())) {
      return sized(unnamed(ErrorCode.INVALID_REQUEST, "id must be a string, number or null"));
    }
    JsonNode echoId = notification ? NullNode.instance : id;
    JsonNode version = request.get("jsonrpc");
    if (version == null || !version.isTextual() || !version.textValue().equals("2.0")) {
      return sized(invalidRequest(echoId, "jsonrpc must be \"2.0\""));
    }
    JsonNode method = request.get("method");
    if (method == null || !method.isTextual()) {
      return sized(invalidRequest(echoId, "method must be a string"));
    }
    JsonNode params = request.get("params");
    if (params != null && !params.isArray() && !params.isObject()) {
      return sized(invalidRequest(echoId, "params must be an array or an object"));
    }
    ObjectNode response = call(method.textValue(), params, methods, echoId, caller);
    if (notification) {
      return Optional.empty();
    }
    // Written once: the bytes counted for the caps are the bytes sent, unless the answer is large (then
    // only counted here, and made once its permit is held).
    Json.Written written = Json.written(response, bytesMax, config.answerLimits().largeAnswerBytes());
    if (written.size() > bytesMax) {
      LOG.debug("rpc answer over the bound method={} limit={}", method.textValue(), config.responseBytesMax());
      return sized(tooLarge(echoId, config.responseBytesMax()));
    }
    return Optional.of(new Sized(response, written));
  }

  /** An error answer with its JSON (errors are small). */
  private Optional<Sized> sized(ObjectNode response) {
    return Optional.of(new Sized(response, Json.written(response, Long.MAX_VALUE, config.answerLimits().largeAnswerBytes())));
  }

  private ObjectNode call(String name, JsonNode params, MethodLookup methods, JsonNode id, Caller caller) {
    long started = System.nanoTime();
    Optional<RpcMethod> method = methods.find(name);
    ObjectNode response = answerCall(name, method, params, id, caller);
    JsonNode error = response.get("error");
    observer.called(method.isPresent() ? method.get().name() : RpcObserver.UNKNOWN_METHOD,
        error == null ? 0 : error.get("code").intValue(), System.nanoTime() - started);
    return response;
  }

  private ObjectNode answerCall(String name, Optional<RpcMethod> method, JsonNode params, JsonNode id, Caller caller) {
    if (method.isEmpty()) {
      String shown = name.length() > ECHOED_METHOD_CHARS_MAX ? name.substring(0, ECHOED_METHOD_CHARS_MAX) + "..." : name;
      return error(id, ErrorCode.METHOD_NOT_FOUND, shown, null);
    }
    Optional<RpcFailure> refused = caller.refusal(name, Instant.now());
    if (refused.isPresent()) {
      LOG.debug("rpc call refused method={} code={}", name, refused.get().code().code());
      return error(id, refused.get().code(), refused.get().detail(), null);
    }
    try {
      JsonNode result = method.get().body().call(Params.of(method.get().paramNames(), params));
      ObjectNode response = NODES.objectNode().put("jsonrpc", "2.0");
      response.set("id", id);
      response.set("result", result == null ? NullNode.instance : result);
      return response;
    } catch (RpcFailure failure) {
      LOG.debug("rpc call failed method={} code={} detail={}", name, failure.code().code(), failure.detail());
      return error(id, failure.code(), failure.detail(), failure.data());
    } catch (RuntimeException e) {
      // A bug or a storage failure: the client learns only that it was internal; the log has the trace.
      LOG.warn("rpc call threw method={}", name, e);
      return error(id, ErrorCode.INTERNAL_ERROR, "", null);
    }
  }

  /** Jackson may wrap a constraint violation in a mapping exception; find it in the cause chain. */
  private static StreamConstraintsException constraintBehind(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StreamConstraintsException limit) {
        return limit;
      }
    }
    return null;
  }

  private static String constraintDetail(StreamConstraintsException e) {
    String message = String.valueOf(e.getOriginalMessage());
    if (message.contains("nesting depth")) {
      return "nesting too deep";
    }
    if (message.contains("Number value length")) {
      return "number literal too long";
    }
    return "string or name too long";
  }

  private ObjectNode rateLimited() {
    return unnamed(ErrorCode.RATE_LIMITED, "slow down");
  }

  private ObjectNode invalidRequest(JsonNode id, String detail) {
    observer.called(RpcObserver.NO_METHOD, ErrorCode.INVALID_REQUEST.code(), 0);
    return error(id, ErrorCode.INVALID_REQUEST, detail, null);
  }

  /** An error answered before any method was named (not JSON, not a request object, rate limited...). */
  private ObjectNode unnamed(ErrorCode code, String detail) {
    observer.called(RpcObserver.NO_METHOD, code.code(), 0);
    return error(NullNode.instance, code, detail, null);
  }

  private static Reply answer(JsonNode body) {
    return new Reply.Answer(body, false);
  }

  /** A complete error response object. */
  public static ObjectNode error(JsonNode id, ErrorCode code, String detail, JsonNode data) {
    ObjectNode error = NODES.objectNode()
        .put("code", code.code())
        .put("message", detail.isEmpty() ? code.message() : code.message() + ": " + detail);
    if (data != null) {
      error.set("data", data);
    }
    ObjectNode response = NODES.objectNode().put("jsonrpc", "2.0");
    response.set("id", id);
    response.set("error", error);
    return response;
  }
}
