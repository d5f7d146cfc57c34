package dev.cairn.rpc.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * One JSON-RPC method: its description ({@link MethodSpec}: name, params in positional order so they may be
 * given as an array or as an object by name, result, errors, examples) and its body. The body returns the
 * result or throws {@link RpcFailure}.
 */
public record RpcMethod(MethodSpec spec, Body body, BatchPrelude prelude) {
  public RpcMethod {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(prelude, "prelude");
  }

  public RpcMethod(MethodSpec spec, Body body) {
    this(spec, body, BatchPrelude.NONE);
  }

  /** A method registered only to tell the caller where it is served: every call gets {@code code}. */
  public static RpcMethod unavailable(MethodSpec spec, ErrorCode code, String detail) {
    return new RpcMethod(spec, p -> {
      throw new RpcFailure(code, detail);
    });
  }

  public String name() {
    return spec.name();
  }

  public List<String> paramNames() {
    return spec.paramNames();
  }

  @FunctionalInterface
  public interface Body {
    JsonNode call(Params params);
  }

  /**
   * Work done once for all of a batch's calls of this method before they run one by one (the node verifies
   * the signatures of a batch of cairn_sendTransaction calls together). It gets the params of the calls
   * that are well-formed requests; it answers nothing and must not throw for bad params, which the calls
   * themselves report. {@link #finish} is called once the batch's calls have run (or were refused unrun), on
   * the same thread, even if a call threw.
   */
  @FunctionalInterface
  public interface BatchPrelude {
    void prepare(List<Params> calls);

    /** The batch {@link #prepare} was called for is over: drop what was kept for its calls. */
    default void finish() {}

    BatchPrelude NONE = calls -> {};
  }
}
