package dev.cairn.rpc.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.rpc.NodeHealth;
import dev.cairn.rpc.jsonrpc.Json;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.util.List;

/**
 * {@code GET /liveness} and {@code GET /readiness} on the RPC port, with Besu's meaning, for load balancers and
 * Kubernetes probes. Liveness: 200 while the process serves (503 once consensus halted on a broken
 * invariant, which only a person should resolve). Readiness: 200 when the node has at least {@code minPeers}
 * peers and is at most {@code maxBlocksBehind} blocks behind the highest head its peers reported, else 503;
 * both are query parameters with defaults, bounded, and a bad value is a 400 naming it. Every answer is a
 * JSON object with the facts it was judged by.
 */
public final class HealthRoutes {
  public static final String LIVENESS_PATH = "/liveness";
  public static final String READINESS_PATH = "/readiness";
  public static final int MIN_PEERS_DEFAULT = 1;
  public static final int MIN_PEERS_MAX = 10_000;
  public static final long MAX_BLOCKS_BEHIND_DEFAULT = 2;
  public static final long MAX_BLOCKS_BEHIND_MAX = 1_000_000_000L;
  /** Digits a parameter may have: enough for the bounds above, and nothing is parsed past it. */
  private static final int PARAMETER_CHARS_MAX = 10;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final NodeHealth health;

  public HealthRoutes(NodeHealth health) {
    this.health = health;
  }

  public void register(JavalinDefaultRouting router) {
    router.get(LIVENESS_PATH, this::liveness);
    router.get(READINESS_PATH, this::readiness);
  }

  private void liveness(Context ctx) {
    NodeHealth.Facts facts = health.facts();
    ObjectNode body = NODES.objectNode().put("status", facts.halted().isEmpty() ? "UP" : "DOWN");
    facts.halted().ifPresent(reason -> body.put("reason", "consensus halted: " + reason));
    reply(ctx, facts.halted().isEmpty() ? 200 : 503, body);
  }

  private void readiness(Context ctx) {
    long minPeers;
    long maxBlocksBehind;
    try {
      minPeers = parameter(ctx, "minPeers", MIN_PEERS_DEFAULT, MIN_PEERS_MAX);
      maxBlocksBehind = parameter(ctx, "maxBlocksBehind", MAX_BLOCKS_BEHIND_DEFAULT, MAX_BLOCKS_BEHIND_MAX);
    } catch (BadParameter e) {
      reply(ctx, 400, NODES.objectNode().put("error", e.getMessage()));
      return;
    }
    NodeHealth.Facts facts = health.facts();
    String reason = notReadyBecause(facts, minPeers, maxBlocksBehind);
    ObjectNode body = NODES.objectNode()
        .put("status", reason == null ? "UP" : "DOWN")
        .put("peering", facts.peering())
        .put("peers", facts.peers())
        .put("minPeers", minPeers)
        .put("height", facts.height());
    if (facts.blocksBehind() == NodeHealth.Facts.BEHIND_UNKNOWN) {
      body.putNull("blocksBehind");
    } else {
      body.put("blocksBehind", facts.blocksBehind());
    }
    body.put("maxBlocksBehind", maxBlocksBehind);
    if (reason != null) {
      body.put("reason", reason);
    }
    reply(ctx, reason == null ? 200 : 503, body);
  }

  /** Null when ready; otherwise the first condition that fails, in words. */
  static String notReadyBecause(NodeHealth.Facts facts, long minPeers, long maxBlocksBehind) {
    if (facts.halted().isPresent()) {
      return "consensus halted: " + facts.halted().get();
    }
    if (!facts.peering()) {
      return null; // a node without p2p is the whole network: nothing to wait for
    }
    if (facts.peers() < minPeers) {
      return facts.peers() + " peers, fewer than minPeers " + minPeers;
    }
    if (facts.blocksBehind() == NodeHealth.Facts.BEHIND_UNKNOWN) {
      return "no peer has reported its head yet";
    }
    if (facts.blocksBehind() > maxBlocksBehind) {
      return facts.blocksBehind() + " blocks behind, more than maxBlocksBehind " + maxBlocksBehind;
    }
    return null;
  }

  private static long parameter(Context ctx, String name, long fallback, long max) throws BadParameter {
    List<String> values = ctx.queryParams(name);
    if (values.isEmpty()) {
      return fallback;
    }
    if (values.size() > 1) {
      throw new BadParameter(name + " is given " + values.size() + " times; give it once");
    }
    String text = values.get(0).trim();
    if (text.isEmpty() || text.length() > PARAMETER_CHARS_MAX || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new BadParameter(name + " must be a whole number in [0, " + max + "]");
    }
    long value = Long.parseLong(text);
    if (value > max) {
      throw new BadParameter(name + " must be a whole number in [0, " + max + "], got " + value);
    }
    return value;
  }

  private static void reply(Context ctx, int status, ObjectNode body) {
    try {
      ctx.status(status).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree built here must serialize", e);
    }
  }

  private static final class BadParameter extends Exception {
    BadParameter(String message) {
      super(message, null, false, false);
    }
  }
}
