package dev.cairn.rpc.client;

/**
 * The call produced no JSON-RPC answer: connection refused, timeout, an answer over the size bound, or a reply
 * that is not JSON-RPC 2.0. Whether the node acted on the request is unknown.
 */
public final class RpcTransportException extends RpcException {
  public RpcTransportException(String message, Throwable cause) {
    super(message, cause, true);
  }
}
