package dev.cairn.rpc.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.rpc.jsonrpc.Params;
import dev.cairn.rpc.jsonrpc.RpcFailure;
import dev.cairn.rpc.jsonrpc.RpcMethod;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code admin_} namespace: registered only when the node enables it, and with authentication on, callable
 * only with an {@code admin:*} (or {@code admin:METHOD}) permission. See docs/json-rpc.md, "Admin methods".
 */
public final class AdminMethods {
  public static final int EVIDENCE_RETURNED_MAX = 1_000;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern LOGGER = Pattern.compile(AdminMethodSpecs.LOGGER_PATTERN);

  private final NodeAdmin node;

  public AdminMethods(NodeAdmin node) {
    this.node = node;
  }

  public List<RpcMethod> all() {
    return List.of(
        new RpcMethod(AdminMethodSpecs.peers(), p -> peers()),
        new RpcMethod(AdminMethodSpecs.addPeer(), p -> change(node.addObserver(peerText(p)), p)),
        new RpcMethod(AdminMethodSpecs.removePeer(), p -> change(node.removeObserver(peerText(p)), p)),
        new RpcMethod(AdminMethodSpecs.validatorVotes(), p -> votes()),
        new RpcMethod(AdminMethodSpecs.evidence(), this::evidence),
        new RpcMethod(AdminMethodSpecs.setLogLevel(), this::setLogLevel),
        new RpcMethod(AdminMethodSpecs.nodeInfo(), p -> info()));
  }

  private JsonNode peers() {
    ArrayNode out = NODES.arrayNode();
    for (NodeAdmin.Peer peer : node.peers()) {
      ObjectNode o = out.addObject()
          .put("id", peer.id())
          .put("address", peer.address())
          .put("role", peer.role())
          .put("direction", peer.direction());
      if (peer.latencyMillis().isPresent()) {
        o.put("latencyMillis", peer.latencyMillis().get());
      } else {
        o.putNull("latencyMillis");
      }
      peer.protocols().forEach(o.putArray("protocols")::add);
      o.put("agent", peer.agent());
    }
    return out;
  }

  /** The peer ID or multiaddr, bounded here as the published schema bounds it. */
  private static String peerText(Params p) {
    String text = p.string(0);
    if (text.isEmpty() || text.length() > AdminMethodSpecs.PEER_TEXT_CHARS_MAX) {
      throw RpcFailure.invalidParam(p.name(0), "expected 1.." + AdminMethodSpecs.PEER_TEXT_CHARS_MAX + " characters");
    }
    return text;
  }

  private static JsonNode change(NodeAdmin.ObserverChange change, Params p) {
    return switch (change) {
      case NodeAdmin.ObserverChange.Changed c -> NODES.booleanNode(true);
      case NodeAdmin.ObserverChange.Unchanged u -> NODES.booleanNode(false);
      case NodeAdmin.ObserverChange.Refused r -> throw RpcFailure.invalidParam(p.name(0), r.why());
    };
  }

  private JsonNode votes() {
    ArrayNode out = NODES.arrayNode();
    for (NodeAdmin.ValidatorVote vote : node.validatorVotes()) {
      ObjectNode o = out.addObject().put("candidate", vote.candidate()).put("action", vote.action());
      vote.voters().forEach(o.putArray("voters")::add);
      o.put("votesCounted", vote.votesCounted()).put("validators", vote.validators()).put("votesNeeded", vote.votesNeeded());
    }
    return out;
  }

  private JsonNode evidence(Params p) {
    long limit = p.nonNegativeLong(0, 100);
    if (limit < 1 || limit > EVIDENCE_RETURNED_MAX) {
      throw RpcFailure.invalidParam(p.name(0), "expected 1.." + EVIDENCE_RETURNED_MAX);
    }
    ArrayNode out = NODES.arrayNode();
    for (NodeAdmin.Evidence e : node.evidence((int) limit)) {
      ObjectNode o = out.addObject()
          .put("validator", e.validator())
          .put("height", e.height())
          .put("round", e.round())
          .put("kind", e.kind())
          .put("detectedAtMillis", e.detectedAtMillis());
      o.set("first", signed(e.first()));
      o.set("second", signed(e.second()));
    }
    return out;
  }

  private static ObjectNode signed(NodeAdmin.SignedPart part) {
    ObjectNode o = NODES.objectNode().put("digest", part.digest()).put("signature", part.signature());
    part.message().ifPresentOrElse(m -> o.put("message", m), () -> o.putNull("message"));
    return o;
  }

  private JsonNode setLogLevel(Params p) {
    String logger = p.string(0);
    if (logger.length() > AdminMethodSpecs.LOGGER_CHARS_MAX || !LOGGER.matcher(logger).matches()) {
      throw RpcFailure.invalidParam(p.name(0), "expected a package or class name (e.g. dev.cairn.p2p) or ROOT");
    }
    String level = p.string(1).toUpperCase(Locale.ROOT);
    if (!AdminMethodSpecs.LOG_LEVELS.contains(level)) {
      throw RpcFailure.invalidParam(p.name(1), "expected one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
    }
    ObjectNode out = NODES.objectNode().put("logger", logger).put("level", level);
    node.setLogLevel(logger, level).ifPresentOrElse(previous -> out.put("previous", previous), () -> out.putNull("previous"));
    return out;
  }

  private JsonNode info() {
    NodeAdmin.Info info = node.info();
    ObjectNode o = NODES.objectNode().put("peerId", info.peerId());
    info.listenAddresses().forEach(o.putArray("listenAddresses")::add);
    o.put("version", info.version()).put("chainId", info.chainId()).put("height", info.height())
        .put("role", info.role()).put("peers", info.peers());
    info.addedObservers().forEach(o.putArray("addedObservers")::add);
    return o;
  }
}
