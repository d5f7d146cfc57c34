package dev.cairn.rpc.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * One JSON-RPC method: its name, the names of its parameters in positional order (so params may be given
 * as an array or as an object by name) and its body. The body returns the result or throws {@link
 * RpcFailure}.
 */
public record RpcMethod(String name, List<String> paramNames, Body body, BatchPrelude prelude) {
  public RpcMethod {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(prelude, "prelude");
    paramNames = List.copyOf(paramNames);
  }

  public RpcMethod(String name, List<String> paramNames, Body body) {
    this(name, paramNames, body, BatchPrelude.NONE);
  }

  @FunctionalInterface
  public interface Body {
    JsonNode call(Params params);
  }

  /**
   * Work done once for all of a batch's calls of this method before they run one by one (the node verifies
   * the signatures of a batch of cairn_sendTransaction calls together). It gets the params of the calls
   * that are well-formed requests; it answers nothing and must not throw for bad params, which the calls
   * themselves report.
   */
  @FunctionalInterface
  public interface BatchPrelude {
    void prepare(List<Params> calls);

    BatchPrelude NONE = calls -> {};
  }
}
