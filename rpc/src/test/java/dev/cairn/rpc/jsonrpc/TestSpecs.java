package dev.cairn.rpc.jsonrpc;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** Minimal method descriptions for processor tests, where only the name and the param names matter. */
final class TestSpecs {
  private TestSpecs() {}

  /** A method taking optional params of any type, answering anything. */
  static MethodSpec of(String name, String... paramNames) {
    MethodSpec.Builder spec = MethodSpec.named(name, "test method " + name);
    for (String param : paramNames) {
      spec.optionalParam(param, "", JsonNodeFactory.instance.objectNode());
    }
    return spec.result("result", "", JsonNodeFactory.instance.objectNode())
        .example("any", "", JsonNodeFactory.instance.nullNode())
        .build();
  }
}
