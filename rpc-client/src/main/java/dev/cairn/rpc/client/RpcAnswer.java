package dev.cairn.rpc.client;

import com.fasterxml.jackson.databind.JsonNode;

/** The answer to one call of a batch: its result, or the error object the node refused it with. */
public sealed interface RpcAnswer {
  record Result(JsonNode value) implements RpcAnswer {}

  record Failure(RpcError error) implements RpcAnswer {}

  /** The result, or the error thrown. */
  default JsonNode resultOrThrow() {
    return switch (this) {
      case Result r -> r.value();
      case Failure f -> throw f.error();
    };
  }
}
