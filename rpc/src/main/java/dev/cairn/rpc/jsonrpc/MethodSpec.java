package dev.cairn.rpc.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a JSON-RPC method is, for a client in any language: its name, a summary, its params in positional
 * order with a JSON Schema each, the schema of its result, the application errors it answers with and at
 * least one example call. Every {@link RpcMethod} is built from one (its param names come from here), so no
 * method is served undescribed; {@code rpc.discover} publishes them as an OpenRPC document
 * ({@link OpenRpcDocument}). Schemas may refer to shared ones as {@code {"$ref": "#/components/schemas/NAME"}}.
 *
 * @param errors the errors particular to this method; the ones any call may get ({@link
 *     OpenRpcDocument#ANY_CALL_ERRORS}) are added by the document
 * @param extensions OpenRPC specification extensions of the method object, each key starting with {@code x-}
 */
public record MethodSpec(
    String name,
    String summary,
    String description,
    List<Param> params,
    Result result,
    List<ErrorCode> errors,
    List<Example> examples,
    Map<String, JsonNode> extensions) {

  public MethodSpec {
    requireText("name", name);
    requireText("summary of " + name, summary);
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(result, "result of " + name);
    params = List.copyOf(params);
    errors = List.copyOf(new LinkedHashSet<>(errors));
    examples = List.copyOf(examples);
    extensions = Map.copyOf(extensions);
    Set<String> names = new HashSet<>();
    boolean optionalSeen = false;
    for (Param p : params) {
      if (!names.add(p.name())) {
        throw new IllegalArgumentException(name + ": param " + p.name() + " twice");
      }
      if (p.required() && optionalSeen) {
        // By position, a required param after an optional one could not be given without the optional one.
        throw new IllegalArgumentException(name + ": required param " + p.name() + " after an optional one");
      }
      optionalSeen |= !p.required();
    }
    if (examples.isEmpty()) {
      throw new IllegalArgumentException(name + ": at least one example");
    }
    long requiredCount = params.stream().filter(Param::required).count();
    for (Example e : examples) {
      if (e.params().size() > params.size() || e.params().size() < requiredCount) {
        throw new IllegalArgumentException(name + ": example " + e.name() + " has " + e.params().size() + " params");
      }
    }
    for (String key : extensions.keySet()) {
      if (!key.startsWith("x-")) {
        throw new IllegalArgumentException(name + ": extension " + key + " must start with x-");
      }
    }
  }

  /** One parameter; {@code schema} is a JSON Schema (draft 7) of its value. */
  public record Param(String name, String description, boolean required, JsonNode schema) {
    public Param {
      requireText("param name", name);
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(schema, "schema of " + name);
    }
  }

  public record Result(String name, String description, JsonNode schema) {
    public Result {
      requireText("result name", name);
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(schema, "result schema");
    }
  }

  /** One example call: params by position (a prefix of the method's params) and the answer's result. */
  public record Example(String name, String description, List<JsonNode> params, JsonNode result) {
    public Example {
      requireText("example name", name);
      Objects.requireNonNull(description, "description");
      params = List.copyOf(params);
      Objects.requireNonNull(result, "example result (use a null node for null)");
    }
  }

  public List<String> paramNames() {
    return params.stream().map(Param::name).toList();
  }

  public static Builder named(String name, String summary) {
    return new Builder(name, summary);
  }

  private static void requireText(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }

  /** Reads like the method's page: params in order, then the result, errors and examples. */
  public static final class Builder {
    private final String name;
    private final String summary;
    private String description = "";
    private final List<Param> params = new ArrayList<>();
    private Result result;
    private final List<ErrorCode> errors = new ArrayList<>();
    private final List<Example> examples = new ArrayList<>();
    private final Map<String, JsonNode> extensions = new LinkedHashMap<>();

    private Builder(String name, String summary) {
      this.name = name;
      this.summary = summary;
    }

    public Builder description(String text) {
      this.description = text;
      return this;
    }

    public Builder param(String paramName, String text, JsonNode schema) {
      params.add(new Param(paramName, text, true, schema));
      return this;
    }

    public Builder optionalParam(String paramName, String text, JsonNode schema) {
      params.add(new Param(paramName, text, false, schema));
      return this;
    }

    public Builder result(String resultName, String text, JsonNode schema) {
      this.result = new Result(resultName, text, schema);
      return this;
    }

    public Builder errors(ErrorCode... codes) {
      errors.addAll(List.of(codes));
      return this;
    }

    public Builder errors(List<ErrorCode> codes) {
      errors.addAll(codes);
      return this;
    }

    public Builder example(String exampleName, String text, JsonNode exampleResult, JsonNode... exampleParams) {
      examples.add(new Example(exampleName, text, List.of(exampleParams), exampleResult));
      return this;
    }

    public Builder extension(String key, JsonNode value) {
      extensions.put(key, value);
      return this;
    }

    public MethodSpec build() {
      return new MethodSpec(name, summary, description, params, result, errors, examples, extensions);
    }
  }
}
