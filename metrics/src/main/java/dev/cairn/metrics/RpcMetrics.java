package dev.cairn.metrics;

import dev.cairn.rpc.RpcObserver;
import dev.cairn.rpc.jsonrpc.ErrorCode;
import dev.cairn.rpc.server.RpcServer;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;

/**
 * JSON-RPC calls by method, errors by code, latency by method ({@link RpcObserver}, on the serving threads:
 * a counter increment and a histogram bucket per call), and the WebSocket figures the server keeps.
 */
final class RpcMetrics implements RpcObserver {
  static final double[] CALL_SECONDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private final Counter requests;
  private final Counter errors;
  private final Histogram latency;

  RpcMetrics(Families families) {
    requests = families.ownCounter("rpc_requests", "JSON-RPC calls answered, by method (unknown: not served; none: no method named)", "method");
    errors = families.ownCounter("rpc_errors", "JSON-RPC calls answered with an error, by JSON-RPC error code (docs/json-rpc.md)", "code");
    for (ErrorCode code : ErrorCode.values()) {
      errors.initLabelValues(Integer.toString(code.code())); // 0, not absent, until the first one: rate() works
    }
    latency = families.seconds("rpc_request_duration", "Time to answer one JSON-RPC call, by method", CALL_SECONDS, "method");
  }

  @Override
  public void called(String method, int errorCode, long nanos) {
    requests.labelValues(method).inc();
    if (errorCode != 0) {
      errors.labelValues(Integer.toString(errorCode)).inc();
    }
    if (!method.equals(NO_METHOD)) {
      latency.labelValues(method).observe(nanos / 1e9);
    }
  }

  /** The server's own gauges and counters, read when scraped. */
  static void register(Families families, RpcServer server) {
    families.gauge("rpc_ws_connections", "Open JSON-RPC WebSocket connections", null, server::webSocketConnections);
    families.gauge("rpc_ws_subscriptions", "Live WebSocket subscriptions (newHeads and others)", null, server::subscriptions);
    families.gauge("rpc_ws_queued_messages_max", "Most outbound messages queued on any one WebSocket connection now", null,
        server::webSocketQueuedMessagesMax);
    families.counter("rpc_ws_slow_consumers_disconnected", "WebSocket connections closed because their client stopped reading",
        null, server::slowConsumersDisconnected);
    families.counter("rpc_ws_origins_refused", "WebSocket handshakes refused for their Origin", null,
        server::webSocketOriginsRefused);
    families.gauge("rpc_ws_queued_bytes_max", "Most notification bytes queued unwritten on any one WebSocket connection now",
        null, server::webSocketQueuedBytesMax);
    families.gauge("rpc_large_answer_permits_available",
        "Large JSON-RPC answers that could be held now (rpc.large-answers-max less those being written)",
        null, server::largeAnswerPermitsAvailable);
    families.counter("rpc_large_answers_refused_busy",
        "Calls answered -32048 because their large answer found no permit (HTTP and WebSocket)",
        null, server::largeAnswersRefusedBusy);
    families.counter("rpc_http_answers_abandoned",
        "HTTP connections closed because the client had not read its answer within rpc.answer-write-timeout-millis",
        null, server::httpAnswersAbandoned);
  }
}
