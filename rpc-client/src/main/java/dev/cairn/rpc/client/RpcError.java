package dev.cairn.rpc.client;

import com.fasterxml.jackson.databind.JsonNode;

/** A JSON-RPC error object the node answered with: its code, message and optional data (null if none). */
public final class RpcError extends RpcException {
  private final int code;
  private final transient JsonNode data;

  public RpcError(int code, String message, JsonNode data) {
    super(message, null, false);
    this.code = code;
    this.data = data;
  }

  public int code() {
    return code;
  }

  public JsonNode data() {
    return data;
  }

  @Override
  public String toString() {
    return "RpcError(" + code + "): " + getMessage();
  }
}
