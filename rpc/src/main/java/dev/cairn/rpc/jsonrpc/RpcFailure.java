package dev.cairn.rpc.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A call that ends in a JSON-RPC error object. Method code throws it where the client's input or the chain's
 * answer makes the call fail; {@link JsonRpcProcessor} catches it at the call boundary and turns it into the
 * error response, so it never travels further. No stack trace: it is an answer, not a bug.
 */
public final class RpcFailure extends RuntimeException {
  private final ErrorCode code;
  private final String detail;
  private final transient JsonNode data;

  public RpcFailure(ErrorCode code, String detail, JsonNode data) {
    super(code.message() + (detail.isEmpty() ? "" : ": " + detail), null, false, false);
    this.code = Objects.requireNonNull(code, "code");
    this.detail = detail;
    this.data = data;
  }

  public RpcFailure(ErrorCode code, String detail) {
    this(code, detail, null);
  }

  public static RpcFailure invalidParam(String param, String problem) {
    return new RpcFailure(ErrorCode.INVALID_PARAMS, param + ": " + problem,
        Json.MAPPER.createObjectNode().put("param", param));
  }

  public ErrorCode code() {
    return code;
  }

  public String detail() {
    return detail;
  }

  /** Structured extra information for the error's {@code data} member, or null. */
  public JsonNode data() {
    return data;
  }
}
