package dev.cairn.rpc.client;

/** The call did not produce a JSON-RPC answer: connection failure, timeout, or a reply that is not JSON-RPC. */
public final class RpcTransportException extends RuntimeException {
  public RpcTransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
