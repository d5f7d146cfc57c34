package dev.cairn.rpc;

import java.util.List;
import java.util.Objects;

/**
 * Every limit of the JSON-RPC endpoint, named with its unit last. Validated once at construction, including
 * the relations between limits, so a running server never meets a nonsensical combination.
 *
 * @param host interface to bind (e.g. {@code 127.0.0.1}; {@code 0.0.0.0} for all)
 * @param port TCP port; 0 asks the OS for a free one ({@link dev.cairn.rpc.server.RpcServer#start()} returns it)
 * @param requestBodyBytesMax largest HTTP request body and largest WebSocket text message
 * @param batchLengthMax most calls in one batch array
 * @param jsonNestingDepthMax deepest array/object nesting the parser accepts
 * @param jsonNumberDigitsMax longest number literal the parser accepts (huge numbers cost memory and CPU)
 * @param requestsPerSecondPerIp token-bucket refill rate per client IP, shared by its HTTP calls and all its
 *     WebSocket connections
 * @param requestBurstMax token-bucket capacity: calls a client may make at once after being idle
 * @param rateLimitedIpsTrackedMax most client IPs with a live token bucket; idle buckets are dropped first
 * @param wsConnectionsMax most concurrent WebSocket connections
 * @param wsSubscriptionsPerConnectionMax most live subscriptions on one WebSocket connection
 * @param wsQueueMessagesMax most outbound messages waiting on one connection; a consumer that falls
 *     further behind is disconnected
 * @param wsIdleTimeoutMillis a WebSocket connection with no traffic either way for this long is closed
 *     (clients that only wait for notifications should send pings)
 * @param pendingTransactionsReturnedMax most transactions {@code cairn_pendingTransactions} returns
 * @param drainTimeoutMillis how long {@link dev.cairn.rpc.server.RpcServer#stop()} waits for in-flight HTTP calls
 * @param corsAllowedOrigins origins allowed by CORS; empty (the default) sends no CORS headers at all;
 *     {@code "*"} allows any origin
 * @param responseBytesMax largest serialized answer to one body, single call or whole batch; a call whose
 *     result would pass it gets {@link dev.cairn.rpc.jsonrpc.ErrorCode#RESPONSE_TOO_LARGE} instead, and the
 *     calls of a batch after the budget is spent are not run
 * @param wsAllowedOrigins browser origins ({@code Origin} header) allowed to open a WebSocket; empty (the
 *     default) refuses every connection that carries an Origin, i.e. every web page, while clients that send
 *     none (programs, wallets, curl) connect; {@code "*"} allows any origin
 * @param historyEntriesReturnedMax most entries one {@code cairn_getAccountHistory} or {@code
 *     cairn_getRecordHistory} page returns (the default page size too); at most {@link
 *     ChainView#HISTORY_PAGE_ENTRIES_MAX}
 * @param answerLimits when an answer counts as large and how many large answers may be held at once (see
 *     {@link AnswerLimits})
 * @param wsQueueBytesMax most bytes of server-initiated messages (notifications) waiting
 *     unwritten on one WebSocket connection; a consumer that falls further behind is disconnected, as for
 *     {@code wsQueueMessagesMax} (answers to calls are not counted there: a connection has at most one
 *     unwritten answer, and a large one holds a permit of {@code answerLimits})
 */
public record RpcConfig(
    String host,
    int port,
    int requestBodyBytesMax,
    int batchLengthMax,
    int jsonNestingDepthMax,
    int jsonNumberDigitsMax,
    int requestsPerSecondPerIp,
    int requestBurstMax,
    int rateLimitedIpsTrackedMax,
    int wsConnectionsMax,
    int wsSubscriptionsPerConnectionMax,
    int wsQueueMessagesMax,
    long wsIdleTimeoutMillis,
    int pendingTransactionsReturnedMax,
    long drainTimeoutMillis,
    List<String> corsAllowedOrigins,
    long responseBytesMax,
    List<String> wsAllowedOrigins,
    int historyEntriesReturnedMax,
    AnswerLimits answerLimits,
    long wsQueueBytesMax) {

  /**
   * The bound on answers held in memory while they are written. An answer whose JSON is at most {@code
   * largeAnswerBytes} is never gated (the load of many small calls is bounded by the rate limits and the
   * server's threads, not by permits); one that grows past it takes a node-wide large-answer permit before
   * its bytes are made, held until the answer is written to the socket.
   *
   * @param largeAnswerBytes the size over which an answer (a single call's or a whole batch's JSON) is large; at
   *     or over {@code responseBytesMax} no answer is
   * @param largeAnswersMax large answers held at once, node-wide, HTTP and WebSocket together: the node's heap
   *     check counts {@code largeAnswersMax x responseBytesMax}
   * @param largeAnswersPerClientMax large answers one client address may hold at once, so that one address
   *     cannot take every permit
   * @param largeAnswerWaitMillis how long a large answer waits for a permit before the call is answered
   *     {@link dev.cairn.rpc.jsonrpc.ErrorCode#SERVER_BUSY} (HTTP 503) instead
   * @param answerWriteTimeoutMillis the longest an answer may take to be written to its client: an HTTP
   *     connection whose client has not read the answer by then is closed, a WebSocket connection closed as
   *     a slow consumer, which gives the permit back
   */
  public record AnswerLimits(long largeAnswerBytes, int largeAnswersMax, int largeAnswersPerClientMax,
      long largeAnswerWaitMillis, long answerWriteTimeoutMillis) {

    /** 1 MiB: as large as a request may be; every answer of a load generator or a wallet is far smaller. */
    public static final long LARGE_ANSWER_BYTES_DEFAULT = 1024 * 1024;

    /**
     * Two: 2 x 32 MiB of answers is what the launcher's 1 GiB heap (910 MiB usable) holds beside the node's
     * other bounds; a third would need 925 MiB.
     */
    public static final int LARGE_ANSWERS_MAX_DEFAULT = 2;

    /** One: two addresses at least share the large-answer permits. */
    public static final int LARGE_ANSWERS_PER_CLIENT_MAX_DEFAULT = 1;

    /** A large answer waits up to a second for a permit. */
    public static final long LARGE_ANSWER_WAIT_MILLIS_DEFAULT = 1_000;

    /** 10 s to write an answer: 32 MiB needs about 27 Mbit/s. */
    public static final long ANSWER_WRITE_TIMEOUT_MILLIS_DEFAULT = 10_000;

    public AnswerLimits {
      positive("largeAnswersMax", largeAnswersMax);
      positive("largeAnswersPerClientMax", largeAnswersPerClientMax);
      positive("answerWriteTimeoutMillis", answerWriteTimeoutMillis);
      if (largeAnswerBytes < 1024) {
        throw new IllegalArgumentException("largeAnswerBytes must be >= 1024 (an error answer is never large), got "
            + largeAnswerBytes);
      }
      if (largeAnswersPerClientMax > largeAnswersMax) {
        throw new IllegalArgumentException("largeAnswersPerClientMax (" + largeAnswersPerClientMax
            + ") must be <= largeAnswersMax (" + largeAnswersMax + ")");
      }
      if (largeAnswerWaitMillis < 0) {
        throw new IllegalArgumentException("largeAnswerWaitMillis must be >= 0, got " + largeAnswerWaitMillis);
      }
    }

    public static AnswerLimits defaults() {
      return new AnswerLimits(LARGE_ANSWER_BYTES_DEFAULT, LARGE_ANSWERS_MAX_DEFAULT, LARGE_ANSWERS_PER_CLIENT_MAX_DEFAULT,
          LARGE_ANSWER_WAIT_MILLIS_DEFAULT, ANSWER_WRITE_TIMEOUT_MILLIS_DEFAULT);
    }
  }

  /** 32 KiB of notifications per WebSocket connection: about 32 header notifications. */
  public static final long WS_QUEUE_BYTES_MAX_DEFAULT = 32 * 1024;

  /** Entries per history page unless configured: a page of transfers is then about 100 KiB of JSON. */
  public static final int HISTORY_ENTRIES_RETURNED_MAX_DEFAULT = 100;

  /** 32 MiB: one block of the largest default size (8 MiB) as hex JSON, twice over. */
  public static final long RESPONSE_BYTES_MAX_DEFAULT = 32L * 1024 * 1024;

  /** The path of the WebSocket endpoint; HTTP JSON-RPC is served at {@code /}. */
  public static final String WS_PATH = "/ws";

  public RpcConfig {
    Objects.requireNonNull(host, "host");
    corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
    wsAllowedOrigins = List.copyOf(wsAllowedOrigins);
    if (responseBytesMax < 1024) {
      throw new IllegalArgumentException("responseBytesMax must be >= 1024 (an error answer fits), got " + responseBytesMax);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("rpc port must be 0..65535, got " + port);
    }
    positive("requestBodyBytesMax", requestBodyBytesMax);
    positive("batchLengthMax", batchLengthMax);
    positive("jsonNestingDepthMax", jsonNestingDepthMax);
    positive("jsonNumberDigitsMax", jsonNumberDigitsMax);
    positive("requestsPerSecondPerIp", requestsPerSecondPerIp);
    positive("requestBurstMax", requestBurstMax);
    positive("rateLimitedIpsTrackedMax", rateLimitedIpsTrackedMax);
    positive("wsConnectionsMax", wsConnectionsMax);
    positive("wsSubscriptionsPerConnectionMax", wsSubscriptionsPerConnectionMax);
    positive("wsQueueMessagesMax", wsQueueMessagesMax);
    positive("wsIdleTimeoutMillis", wsIdleTimeoutMillis);
    positive("pendingTransactionsReturnedMax", pendingTransactionsReturnedMax);
    positive("historyEntriesReturnedMax", historyEntriesReturnedMax);
    positive("wsQueueBytesMax", wsQueueBytesMax);
    Objects.requireNonNull(answerLimits, "answerLimits"); // at or over responseBytesMax, no answer is ever large
    if (historyEntriesReturnedMax > ChainView.HISTORY_PAGE_ENTRIES_MAX) {
      throw new IllegalArgumentException("historyEntriesReturnedMax must be <= " + ChainView.HISTORY_PAGE_ENTRIES_MAX
          + ", got " + historyEntriesReturnedMax);
    }
    if (drainTimeoutMillis < 0) {
      throw new IllegalArgumentException("drainTimeoutMillis must be >= 0, got " + drainTimeoutMillis);
    }
    if (jsonNestingDepthMax < 4) {
      // A batch of requests with object params already nests three deep.
      throw new IllegalArgumentException("jsonNestingDepthMax must be >= 4, got " + jsonNestingDepthMax);
    }
    if (requestBurstMax < batchLengthMax) {
      // Each call in a batch costs a token: a burst below the batch limit would refuse every full batch.
      throw new IllegalArgumentException(
          "requestBurstMax (" + requestBurstMax + ") must be >= batchLengthMax (" + batchLengthMax + ")");
    }
  }

  /** With the default response bound and no WebSocket origins allowed. */
  public RpcConfig(String host, int port, int requestBodyBytesMax, int batchLengthMax, int jsonNestingDepthMax,
      int jsonNumberDigitsMax, int requestsPerSecondPerIp, int requestBurstMax, int rateLimitedIpsTrackedMax,
      int wsConnectionsMax, int wsSubscriptionsPerConnectionMax, int wsQueueMessagesMax, long wsIdleTimeoutMillis,
      int pendingTransactionsReturnedMax, long drainTimeoutMillis, List<String> corsAllowedOrigins) {
    this(host, port, requestBodyBytesMax, batchLengthMax, jsonNestingDepthMax, jsonNumberDigitsMax, requestsPerSecondPerIp,
        requestBurstMax, rateLimitedIpsTrackedMax, wsConnectionsMax, wsSubscriptionsPerConnectionMax, wsQueueMessagesMax,
        wsIdleTimeoutMillis, pendingTransactionsReturnedMax, drainTimeoutMillis, corsAllowedOrigins,
        RESPONSE_BYTES_MAX_DEFAULT, List.of(), HISTORY_ENTRIES_RETURNED_MAX_DEFAULT, AnswerLimits.defaults(),
        WS_QUEUE_BYTES_MAX_DEFAULT);
  }

  /** This config with another response bound and WebSocket origin allowlist. */
  public RpcConfig withResponseLimits(long responseBytes, List<String> wsOrigins) {
    return new RpcConfig(host, port, requestBodyBytesMax, batchLengthMax, jsonNestingDepthMax, jsonNumberDigitsMax,
        requestsPerSecondPerIp, requestBurstMax, rateLimitedIpsTrackedMax, wsConnectionsMax,
        wsSubscriptionsPerConnectionMax, wsQueueMessagesMax, wsIdleTimeoutMillis, pendingTransactionsReturnedMax,
        drainTimeoutMillis, corsAllowedOrigins, responseBytes, wsOrigins, historyEntriesReturnedMax, answerLimits,
        wsQueueBytesMax);
  }

  /** This config with another history page bound. */
  public RpcConfig withHistoryEntriesReturnedMax(int entries) {
    return new RpcConfig(host, port, requestBodyBytesMax, batchLengthMax, jsonNestingDepthMax, jsonNumberDigitsMax,
        requestsPerSecondPerIp, requestBurstMax, rateLimitedIpsTrackedMax, wsConnectionsMax,
        wsSubscriptionsPerConnectionMax, wsQueueMessagesMax, wsIdleTimeoutMillis, pendingTransactionsReturnedMax,
        drainTimeoutMillis, corsAllowedOrigins, responseBytesMax, wsAllowedOrigins, entries, answerLimits,
        wsQueueBytesMax);
  }

  /** Whether a WebSocket handshake carrying {@code origin} (null: none sent) may connect. */
  public boolean wsOriginAllowed(String origin) {
    return origin == null || wsAllowedOrigins.contains("*") || wsAllowedOrigins.contains(origin);
  }

  /**
   * Local-only defaults suited to one operator's node: the ones a node runs with unless configured (the
   * node's {@code [rpc]} defaults agree, a node test holds them together), listed in docs/json-rpc.md, whose
   * table a test compares with these. The request, batch and rate bounds fit a wallet or a load generator
   * sending full batches of transactions from one address.
   */
  public static RpcConfig defaults() {
    return new RpcConfig("127.0.0.1", 8545, 1024 * 1024, 1_000, 32, 64, 5_000, 5_000, 10_000, 256, 100, 1024,
        300_000, 500, 5_000, List.of());
  }

  public RpcConfig withPort(int newPort) {
    return new RpcConfig(host, newPort, requestBodyBytesMax, batchLengthMax, jsonNestingDepthMax,
        jsonNumberDigitsMax, requestsPerSecondPerIp, requestBurstMax, rateLimitedIpsTrackedMax, wsConnectionsMax,
        wsSubscriptionsPerConnectionMax, wsQueueMessagesMax, wsIdleTimeoutMillis, pendingTransactionsReturnedMax, drainTimeoutMillis,
        corsAllowedOrigins, responseBytesMax, wsAllowedOrigins, historyEntriesReturnedMax, answerLimits,
        wsQueueBytesMax);
  }

  /** This config with other bounds on large answers and on a WebSocket connection's unwritten notifications. */
  public RpcConfig withAnswerLimits(AnswerLimits answers, long wsQueueBytes) {
    return new RpcConfig(host, port, requestBodyBytesMax, batchLengthMax, jsonNestingDepthMax, jsonNumberDigitsMax,
        requestsPerSecondPerIp, requestBurstMax, rateLimitedIpsTrackedMax, wsConnectionsMax,
        wsSubscriptionsPerConnectionMax, wsQueueMessagesMax, wsIdleTimeoutMillis, pendingTransactionsReturnedMax,
        drainTimeoutMillis, corsAllowedOrigins, responseBytesMax, wsAllowedOrigins, historyEntriesReturnedMax, answers,
        wsQueueBytes);
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
  }
}
