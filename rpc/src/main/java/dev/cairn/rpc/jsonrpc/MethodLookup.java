package dev.cairn.rpc.jsonrpc;

import java.util.Map;
import java.util.Optional;

/** Finds a method by name: the shared method table, or a WebSocket connection's table layered over it. */
@FunctionalInterface
public interface MethodLookup {
  Optional<RpcMethod> find(String name);

  static MethodLookup of(Iterable<RpcMethod> methods) {
    Map<String, RpcMethod> byName = new java.util.HashMap<>();
    for (RpcMethod m : methods) {
      if (byName.put(m.name(), m) != null) {
        throw new IllegalStateException("method registered twice: " + m.name());
      }
    }
    Map<String, RpcMethod> table = Map.copyOf(byName);
    return name -> Optional.ofNullable(table.get(name));
  }

  /** This lookup first, then {@code fallback}. */
  default MethodLookup over(MethodLookup fallback) {
    return name -> find(name).or(() -> fallback.find(name));
  }
}
