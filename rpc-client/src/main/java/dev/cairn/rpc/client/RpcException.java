package dev.cairn.rpc.client;

/**
 * A JSON-RPC call that produced no result: either the node answered with an error object ({@link RpcError}) or
 * no usable answer arrived ({@link RpcTransportException}).
 */
public abstract sealed class RpcException extends RuntimeException permits RpcError, RpcTransportException {
  RpcException(String message, Throwable cause, boolean stackTrace) {
    super(message, cause, true, stackTrace);
  }
}
