package dev.cairn.rpc.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.Address;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JSON-RPC 2.0 client of Cairn's wallet, tools and tests, over HTTP/1.1 (and WebSocket for subscriptions).
 * Typed methods for the {@code cairn_*} calls they make, {@link #call} and {@link #batch} for anything else. An
 * error object from the node throws {@link RpcError} with its code and message; no usable answer (refused,
 * timed out, larger than {@link #responseBytesMax()}, not JSON-RPC) throws {@link RpcTransportException}.
 * Every exchange is bounded by the timeout, from sending the request to the answer's last byte. Thread-safe.
 */
public final class RpcClient {
  /** Nothing a wallet or a test asks for comes close; an audit reading many large blocks asks for more. */
  public static final int RESPONSE_BYTES_MAX_DEFAULT = 16 * 1024 * 1024;

  static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final URI endpoint;
  private final Duration timeout;
  private final int responseBytesMax;
  private final HttpClient http;
  private final AtomicLong nextId;

  public RpcClient(URI endpoint, Duration timeout) {
    this(endpoint, timeout, RESPONSE_BYTES_MAX_DEFAULT);
  }

  public RpcClient(URI endpoint, Duration timeout, int responseBytesMax) {
    this(endpoint, timeout, responseBytesMax,
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build(), new AtomicLong(1));
  }

  private RpcClient(URI endpoint, Duration timeout, int responseBytesMax, HttpClient http, AtomicLong nextId) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero() || responseBytesMax < 1) {
      throw new IllegalArgumentException("need a timeout > 0 and a response bound >= 1 byte");
    }
    this.responseBytesMax = responseBytesMax;
    this.http = http;
    this.nextId = nextId;
  }

  /** A client of another node with the same limits, sharing this one's connection pool and its thread. */
  public RpcClient at(URI otherEndpoint) {
    return new RpcClient(otherEndpoint, timeout, responseBytesMax, http, nextId);
  }

  public URI endpoint() {
    return endpoint;
  }

  public Duration timeout() {
    return timeout;
  }

  public int responseBytesMax() {
    return responseBytesMax;
  }

  // ---- typed calls -------------------------------------------------------------------------------------------

  public String chainId() {
    return call("cairn_chainId").asText();
  }

  /** The head's height. */
  public long blockNumber() {
    JsonNode result = call("cairn_blockNumber");
    if (!result.canConvertToLong()) {
      throw new RpcTransportException("cairn_blockNumber answered " + Answers.abbreviate(result), null);
    }
    return result.asLong();
  }

  public NodeInfo nodeInfo() {
    return NodeInfo.of(call("cairn_nodeInfo"));
  }

  public AccountInfo getAccount(Address address) {
    return AccountInfo.of(call("cairn_getAccount", address.toText()));
  }

  /** {@code cairn_getAccount} for each address, in one batch; answers in the order asked. */
  public List<AccountInfo> getAccounts(List<Address> addresses) {
    List<Call> calls = addresses.stream().map(a -> Call.of("cairn_getAccount", a.toText())).toList();
    return batch(calls).stream().map(a -> AccountInfo.of(a.resultOrThrow())).toList();
  }

  /** Submits an encoded signed transaction; returns its id as the node writes it ({@code 0x...}). */
  public String sendTransaction(Bytes encoded) {
    return call("cairn_sendTransaction", "0x" + encoded.toHex()).asText();
  }

  /**
   * Submits encoded transactions ({@code 0x} hex) in one batch: one answer each, in the order given, the id on
   * acceptance or the node's refusal. A batch the node refuses as a whole throws {@link RpcError}.
   */
  public List<RpcAnswer> sendTransactions(List<String> rawHex) {
    return batch(rawHex.stream().map(raw -> Call.of("cairn_sendTransaction", raw)).toList());
  }

  /** A transaction the node knows (pending or final), or empty. */
  public Optional<JsonNode> getTransaction(String txId) {
    return present(call("cairn_getTransaction", txId));
  }

  /** The receipt of a final transaction, or empty while it is not final. */
  public Optional<JsonNode> getReceipt(String txId) {
    return present(call("cairn_getReceipt", txId));
  }

  public Optional<JsonNode> getBlockByNumber(long height, boolean fullTransactions) {
    return present(call("cairn_getBlockByNumber", height, fullTransactions));
  }

  public Optional<JsonNode> getLatestBlock(boolean fullTransactions) {
    return present(call("cairn_getBlockByNumber", "latest", fullTransactions));
  }

  public Optional<JsonNode> getBlockByHash(String blockHash, boolean fullTransactions) {
    return present(call("cairn_getBlockByHash", blockHash, fullTransactions));
  }

  /** Hash and transaction ids of block {@code height}, or empty if the node has no such block yet. */
  public Optional<BlockTxIds> getBlockTxIds(long height) {
    return getBlockByNumber(height, false).map(BlockTxIds::of);
  }

  /** Hashes and transaction ids of blocks {@code from..to} (inclusive) in one batch; each block must exist. */
  public List<BlockTxIds> getBlockTxIds(long from, long to) {
    List<Call> calls = new ArrayList<>();
    for (long h = from; h <= to; h++) {
      calls.add(Call.of("cairn_getBlockByNumber", h, false));
    }
    List<RpcAnswer> answers = batch(calls);
    List<BlockTxIds> blocks = new ArrayList<>(answers.size());
    for (int i = 0; i < answers.size(); i++) {
      JsonNode block = answers.get(i).resultOrThrow();
      if (block.isNull()) {
        throw new RpcTransportException("node " + endpoint + " has no block " + (from + i), null);
      }
      blocks.add(BlockTxIds.of(block));
    }
    return blocks;
  }

  public Optional<JsonNode> getRecord(Address owner, String key) {
    return present(call("cairn_getRecord", owner.toText(), key));
  }

  /** The state proof of an account, or of one of its records, at {@code height} (empty: the head). */
  public JsonNode getProof(Address address, Optional<String> recordKey, OptionalLong height) {
    Object block = height.isPresent() ? (Object) height.getAsLong() : "latest";
    return call("cairn_getProof", address.toText(), recordKey.orElse(null), block);
  }

  /**
   * One page of an account's history, newest first ({@code entries}, {@code nextCursor}); pass the page's
   * {@code nextCursor} to get the next one. An empty limit takes the node's page size.
   */
  public JsonNode getAccountHistory(Address address, Optional<String> cursor, OptionalInt limit) {
    return call("cairn_getAccountHistory", address.toText(), cursor.orElse(null), limit.isPresent() ? limit.getAsInt() : null);
  }

  /** One page of the values a record took, newest first, each with its transaction id, height and block time. */
  public JsonNode getRecordHistory(Address owner, String key, Optional<String> cursor, OptionalInt limit) {
    return call("cairn_getRecordHistory", owner.toText(), key, cursor.orElse(null),
        limit.isPresent() ? limit.getAsInt() : null);
  }

  /** The receipts of block {@code height}, in transaction order. */
  public JsonNode getBlockReceipts(long height) {
    return call("cairn_getBlockReceipts", height);
  }

  /**
   * The inclusion proofs of a final transaction and of its receipt, with the block's header and commit
   * certificate; verify it before trusting it (the wallet's {@code verify-proof --tx}).
   */
  public JsonNode getTransactionProof(String txId) {
    return call("cairn_getTransactionProof", txId);
  }

  /**
   * Opens a WebSocket to the node's {@code /ws} and subscribes to {@code newHeads}: {@code listener} hears each
   * new head's height and header on the socket's thread, as it arrives. Returns once the node confirmed.
   */
  public HeadSubscription subscribeNewHeads(HeadSubscription.Listener listener) {
    return HeadSubscription.open(http, endpoint, timeout, responseBytesMax, listener);
  }

  // ---- any call ----------------------------------------------------------------------------------------------

  /** One call of a batch: a method and its positional params (each turned into JSON by Jackson). */
  public record Call(String method, ArrayNode params) {
    public static Call of(String method, Object... params) {
      return new Call(method, toArray(params));
    }
  }

  /** Calls {@code method} with positional params (each turned into JSON by Jackson); returns its result. */
  public JsonNode call(String method, Object... params) {
    return call(method, (JsonNode) toArray(params));
  }

  /** Calls {@code method} with params given as a JSON array or object; returns its result. */
  public JsonNode call(String method, JsonNode params) {
    long id = nextId.getAndIncrement();
    JsonNode response = post(request(id, method, params));
    if (!response.isObject()) {
      throw new RpcTransportException("not a JSON-RPC 2.0 answer from " + endpoint + ": " + Answers.abbreviate(response), null);
    }
    RpcAnswer answer = answer(response);
    if (answer instanceof RpcAnswer.Result && response.path("id").asLong(-1) != id) {
      throw new RpcTransportException("answer id " + response.get("id") + " does not match request id " + id, null);
    }
    return answer.resultOrThrow();
  }

  /**
   * Sends {@code calls} as one JSON-RPC batch; returns one answer per call, in the order given. A batch refused
   * as a whole (one error object instead of an array: too long, rate limited) throws {@link RpcError}.
   */
  public List<RpcAnswer> batch(List<Call> calls) {
    if (calls.isEmpty()) {
      return List.of();
    }
    long firstId = nextId.getAndAdd(calls.size());
    ArrayNode body = NODES.arrayNode(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      body.add(request(firstId + i, calls.get(i).method(), calls.get(i).params()));
    }
    JsonNode response = post(body);
    if (response.isObject()) {
      answer(response).resultOrThrow();
      throw new RpcTransportException("one result for a batch of " + calls.size() + " from " + endpoint, null);
    }
    if (!response.isArray()) {
      throw new RpcTransportException("not a JSON-RPC 2.0 batch answer from " + endpoint + ": " + Answers.abbreviate(response), null);
    }
    Map<Long, RpcAnswer> byId = new HashMap<>(calls.size() * 2);
    for (JsonNode item : response) {
      long id = item.path("id").asLong(-1);
      if (item.isObject() && id >= firstId && id < firstId + calls.size()) {
        byId.put(id, answer(item));
      }
    }
    List<RpcAnswer> answers = new ArrayList<>(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      RpcAnswer a = byId.get(firstId + i);
      if (a == null) {
        throw new RpcTransportException("the batch answer from " + endpoint + " lacks call " + i + " ("
            + calls.get(i).method() + ")", null);
      }
      answers.add(a);
    }
    return answers;
  }

  private static ArrayNode toArray(Object... params) {
    ArrayNode array = NODES.arrayNode(params.length);
    for (Object p : params) {
      array.add(toNode(p));
    }
    return array;
  }

  private static JsonNode toNode(Object param) {
    return switch (param) {
      case null -> NODES.nullNode();
      case JsonNode node -> node;
      case String text -> NODES.textNode(text);
      case Long number -> NODES.numberNode(number);
      case Integer number -> NODES.numberNode(number);
      case Boolean flag -> NODES.booleanNode(flag);
      default -> MAPPER.valueToTree(param);
    };
  }

  private static ObjectNode request(long id, String method, JsonNode params) {
    ObjectNode request = NODES.objectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
    request.set("params", params);
    return request;
  }

  private RpcAnswer answer(JsonNode response) {
    if (!"2.0".equals(response.path("jsonrpc").asText())) {
      throw new RpcTransportException("not a JSON-RPC 2.0 answer from " + endpoint + ": " + Answers.abbreviate(response), null);
    }
    JsonNode error = response.get("error");
    if (error != null && error.isObject()) {
      return new RpcAnswer.Failure(new RpcError(error.path("code").asInt(), error.path("message").asText(), error.get("data")));
    }
    if (!response.has("result")) {
      throw new RpcTransportException("an answer from " + endpoint + " has neither result nor error", null);
    }
    return new RpcAnswer.Result(response.get("result"));
  }

  private static Optional<JsonNode> present(JsonNode result) {
    return result == null || result.isNull() ? Optional.empty() : Optional.of(result);
  }

  private JsonNode post(JsonNode body) {
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(endpoint)
          .timeout(timeout)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body)))
          .build();
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    } catch (IllegalArgumentException e) {
      throw new RpcTransportException("not an HTTP URL: " + endpoint, e);
    }
    CompletableFuture<HttpResponse<byte[]>> pending =
        http.sendAsync(request, info -> BoundedBody.of(info, responseBytesMax));
    HttpResponse<byte[]> response;
    try {
      response = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw timedOut(e);
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new RpcTransportException("interrupted calling " + endpoint, e);
    } catch (ExecutionException e) {
      throw transportFailure(e.getCause());
    }
    try {
      // Error statuses (413, 429, 503) still carry a JSON-RPC error object worth surfacing as RpcError.
      JsonNode parsed = MAPPER.readTree(response.body());
      if (parsed == null || parsed.isMissingNode()) {
        throw new RpcTransportException("the node at " + endpoint + " answered HTTP " + response.statusCode() + " without a body", null);
      }
      return parsed;
    } catch (IOException e) {
      throw new RpcTransportException("the node at " + endpoint + " answered HTTP " + response.statusCode()
          + " with a body that is not JSON", e);
    }
  }

  private RpcTransportException timedOut(Exception cause) {
    return new RpcTransportException("the node at " + endpoint + " did not answer within " + timeout.toMillis() + " ms", cause);
  }

  private RpcTransportException transportFailure(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof BoundedBody.TooLarge tooLarge) {
        return new RpcTransportException("the answer of the node at " + endpoint + " is larger than " + tooLarge.bytesMax
            + " bytes", cause);
      }
      if (t instanceof HttpTimeoutException) {
        return timedOut((Exception) t);
      }
      if (t instanceof ConnectException) {
        return new RpcTransportException("cannot reach the node at " + endpoint + " (connection refused); is it running?", cause);
      }
    }
    return new RpcTransportException("cannot reach the node at " + endpoint + ": " + cause, cause);
  }
}
