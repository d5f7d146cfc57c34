package dev.cairn.rpc;

/**
 * Told about every JSON-RPC call the server answers, HTTP and WebSocket alike, for metrics. Runs on the
 * serving thread right after the call: an implementation must be cheap (a counter, a histogram bucket) and
 * must not throw. The method name is always one of a bounded set: a registered method,
 * {@link #UNKNOWN_METHOD} for a name the server does not serve, or {@link #NO_METHOD} for a body that never
 * named one (not JSON, not a request object, rate limited).
 */
public interface RpcObserver {
  String UNKNOWN_METHOD = "unknown";
  String NO_METHOD = "none";

  RpcObserver NONE = (method, errorCode, nanos) -> { };

  /**
   * @param method see above
   * @param errorCode the JSON-RPC error code of the answer, 0 for a result
   * @param nanos time spent answering the call (for a body that never named a method: 0)
   */
  void called(String method, int errorCode, long nanos);
}
