package dev.cairn.rpc.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * One JSON-RPC method: its name, the names of its parameters in positional order (so params may be given
 * as an array or as an object by name) and its body. The body returns the result or throws {@link
 * RpcFailure}.
 */
public record RpcMethod(String name, List<String> paramNames, Body body) {
  public RpcMethod {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(body, "body");
    paramNames = List.copyOf(paramNames);
  }

  @FunctionalInterface
  public interface Body {
    JsonNode call(Params params);
  }
}
