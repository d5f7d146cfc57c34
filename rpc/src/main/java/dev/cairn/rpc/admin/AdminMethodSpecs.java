package dev.cairn.rpc.admin;

import static dev.cairn.rpc.jsonrpc.Schemas.array;
import static dev.cairn.rpc.jsonrpc.Schemas.bool;
import static dev.cairn.rpc.jsonrpc.Schemas.enumOf;
import static dev.cairn.rpc.jsonrpc.Schemas.integer;
import static dev.cairn.rpc.jsonrpc.Schemas.nullable;
import static dev.cairn.rpc.jsonrpc.Schemas.object;
import static dev.cairn.rpc.jsonrpc.Schemas.pattern;
import static dev.cairn.rpc.jsonrpc.Schemas.ref;
import static dev.cairn.rpc.jsonrpc.Schemas.string;
import static dev.cairn.rpc.jsonrpc.Schemas.stringLength;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.ledger.crypto.Hashing;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.rpc.jsonrpc.MethodSpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The description of every {@code admin_*} method (see {@link MethodSpec}), one factory per method in the
 * order {@link AdminMethods#all()} registers them. They are in a server's OpenRPC document only when the node
 * enables the namespace (docs/openrpc.json, made with the default config, has none). docs/json-rpc.md, "Admin
 * methods", has the longer story.
 */
public final class AdminMethodSpecs {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** The levels admin_setLogLevel sets, in the names Logback gives them. */
  public static final List<String> LOG_LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");
  /** The consensus message kinds evidence names: the node's MessageKind names in lowercase. */
  public static final List<String> EVIDENCE_KINDS = List.of("proposal", "prepare", "commit", "round_change");
  /** What admin_addPeer and admin_removePeer take: a peer ID, or a multiaddr ending in one. */
  public static final int PEER_TEXT_CHARS_MAX = 512;
  /** A logger name, as admin_setLogLevel bounds it: a call cannot create loggers with huge names. */
  public static final int LOGGER_CHARS_MAX = 200;
  /** A Java package or class name, or ROOT (the regex admin_setLogLevel checks, in the schema's dialect too). */
  public static final String LOGGER_PATTERN = "^(ROOT|[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*){0,31})$";

  // Example values: peer IDs of the libp2p form for Ed25519 keys, and keys and signatures made by the ledger.
  private static final String SELF = "12D3KooWQpALv5wFZfsjXjoJrotpCCsjYXNGzMyHnWGZ8gDofiy2";
  private static final String VALIDATOR_PEER = "12D3KooWKgynHD8v5Nu4RemRE7xNzFKWxHJD5N41pvXaSndEoVYK";
  private static final String OBSERVER_PEER = "12D3KooWJtB81EhVAMv9TpnnJh54sexwiFuH52kbL7hMKoy6dDH9";
  private static final List<KeyPair> VALIDATORS = List.of(KeyPair.fromSeedText("example-validator-1"),
      KeyPair.fromSeedText("example-validator-2"), KeyPair.fromSeedText("example-validator-3"),
      KeyPair.fromSeedText("example-validator-4"));
  private static final KeyPair CANDIDATE = KeyPair.fromSeedText("example-candidate");

  private AdminMethodSpecs() {}

  public static MethodSpec peers() {
    ObjectNode peer = object("a connected peer")
        .required("id", peerId("its peer ID"))
        .required("address", string("remote multiaddr of its first connection"))
        .required("role", enumOf(List.of("validator", "observer"),
            "validator (of the next height), or observer (any other allowed peer)"))
        .required("direction", enumOf(List.of("inbound", "outbound"), "who dialled the first connection"))
        .required("latencyMillis", nullable(integer(0, Long.MAX_VALUE, "last ping round trip in milliseconds")))
        .required("protocols", array(string("a protocol id"), "the protocols it announced (identify)"))
        .required("agent", string("its agent version; empty if it announced none"))
        .build();
    ArrayNode example = NODES.arrayNode();
    ObjectNode validator = example.addObject().put("id", VALIDATOR_PEER).put("address", "/ip4/10.0.0.2/tcp/30333")
        .put("role", "validator").put("direction", "outbound").put("latencyMillis", 3);
    validator.putArray("protocols").add("/ipfs/id/1.0.0").add("/ipfs/ping/1.0.0").add("/meshsub/1.1.0");
    validator.put("agent", "cairn/0.1.0");
    return MethodSpec.named("admin_peers", "The peers this node is connected to.")
        .result("peers", "one object per connected peer", array(peer, "connected peers"))
        .example("one validator", "", example)
        .build();
  }

  public static MethodSpec addPeer() {
    return MethodSpec.named("admin_addPeer", "Admits an observer at run time, kept across restarts.")
        .description("Written to DATA_DIR/observers-added.txt and added to the connection allowlist at once; given "
            + "a multiaddr ending in /p2p/PEER_ID the node also dials it once. -32602 for a malformed peer ID, more "
            + "than 1024 added observers, or p2p disabled.")
        .param("peerId", "a peer ID, or a multiaddr ending in /p2p/PEER_ID", peerText())
        .result("added", "true, or false when the peer was already allowed", bool("added"))
        .example("by multiaddr", "", NODES.booleanNode(true), NODES.textNode("/ip4/10.0.0.9/tcp/30333/p2p/" + OBSERVER_PEER))
        .example("already allowed", "", NODES.booleanNode(false), NODES.textNode(VALIDATOR_PEER))
        .build();
  }

  public static MethodSpec removePeer() {
    return MethodSpec.named("admin_removePeer", "Removes an observer added with admin_addPeer, and disconnects it.")
        .description("Persisted; the peer is disconnected at once unless the validator set, genesis or config.toml "
            + "still allows it. Validators and configured observers are not removed this way.")
        .param("peerId", "a peer ID, or a multiaddr ending in /p2p/PEER_ID", peerText())
        .result("removed", "true, or false when it was not an added observer", bool("removed"))
        .example("added before", "", NODES.booleanNode(true), NODES.textNode(OBSERVER_PEER))
        .build();
  }

  public static MethodSpec validatorVotes() {
    ObjectNode vote = object("a pending validator-set change and its live tally at the head")
        .required("candidate", ref("PublicKey"))
        .required("action", enumOf(List.of("add", "remove"), "add or remove the candidate"))
        .required("voters", array(ref("PublicKey"), "the validators that voted for it"))
        .required("votesCounted", integer(0, Integer.MAX_VALUE, "voters still in the validator set (only they count)"))
        .required("validators", integer(0, Integer.MAX_VALUE, "validators now"))
        .required("votesNeeded", integer(0, Integer.MAX_VALUE, "votes that make it pass: more than 2/3 of validators"))
        .build();
    ArrayNode example = NODES.arrayNode();
    ObjectNode pending = example.addObject().put("candidate", hex(CANDIDATE.publicKey().bytes().unsafeArray()))
        .put("action", "add");
    pending.putArray("voters").add(hex(VALIDATORS.get(0).publicKey().bytes().unsafeArray()))
        .add(hex(VALIDATORS.get(2).publicKey().bytes().unsafeArray()));
    pending.put("votesCounted", 2).put("validators", VALIDATORS.size()).put("votesNeeded", 2 * VALIDATORS.size() / 3 + 1);
    return MethodSpec.named("admin_validatorVotes", "Every pending validator-set change, with its tally.")
        .description("Candidates to add come from an index of the ValidatorVote transactions of every block, "
            + "removals from the current validators.")
        .result("votes", "pending changes", array(vote, "pending changes"))
        .example("one addition", "two of four validators voted", example)
        .build();
  }

  public static MethodSpec evidence() {
    ObjectNode signed = object("one of the two messages: enough, with the validator's key, to prove it signed")
        .required("digest", ref("Hash"))
        .required("signature", ref("Signature"))
        .required("message", nullable(ref("HexBytes")))
        .build();
    ObjectNode item = object("two different signed messages of one validator for one height, round and kind")
        .required("validator", ref("PublicKey"))
        .required("height", ref("Height"))
        .required("round", integer(0, Integer.MAX_VALUE, "round"))
        .required("kind", enumOf(EVIDENCE_KINDS, "consensus message kind"))
        .required("detectedAtMillis", integer(0, Long.MAX_VALUE, "when this node saw the second one, Unix milliseconds"))
        .required("first", signed.deepCopy().put("description", "the first message seen"))
        .required("second", signed.deepCopy().put("description", "the conflicting one"))
        .build();
    // Two proposals of one round, each with a block too large to keep whole: digests and signatures only.
    KeyPair validator = VALIDATORS.get(1);
    ObjectNode equivocation = NODES.objectNode().put("validator", hex(validator.publicKey().bytes().unsafeArray()))
        .put("height", 41).put("round", 0).put("kind", "proposal").put("detectedAtMillis", 1_700_000_041_250L);
    equivocation.set("first", signedExample(validator, "example-proposal-a"));
    equivocation.set("second", signedExample(validator, "example-proposal-b"));
    ArrayNode example = NODES.arrayNode().add(equivocation);
    return MethodSpec.named("admin_evidence", "The newest equivocation evidence this node kept, oldest first.")
        .description("A ring of 256 in the store, kept across restarts. 'message' is the whole consensus message "
            + "(canonical encoding), null when over 64 KiB.")
        .optionalParam("limit", "most entries to return (default 100)", integer(1, AdminMethods.EVIDENCE_RETURNED_MAX, "limit"))
        .result("evidence", "at most 'limit' entries", array(item, "evidence"))
        .example("one equivocation", "", example, NODES.numberNode(10))
        .build();
  }

  public static MethodSpec setLogLevel() {
    ObjectNode result = object("the logger and its levels")
        .required("logger", string("the logger"))
        .required("level", enumOf(LOG_LEVELS, "its level now"))
        .required("previous", nullable(enumOf(LOG_LEVELS, "its level before")))
        .build();
    ObjectNode example = NODES.objectNode().put("logger", "dev.cairn.p2p").put("level", "DEBUG").putNull("previous");
    return MethodSpec.named("admin_setLogLevel", "Sets the level of one logger until the node stops.")
        .param("logger", "a package or class (e.g. dev.cairn.p2p), or ROOT",
            stringLength(1, LOGGER_CHARS_MAX, "logger name").put("pattern", LOGGER_PATTERN))
        .param("level", "TRACE, DEBUG, INFO, WARN, ERROR or OFF, in any case",
            pattern(anyCase(LOG_LEVELS), "log level, in any case"))
        .result("logLevel", "the logger, its level, and the level it had (null: inherited)", result)
        .example("p2p debug", "", example, NODES.textNode("dev.cairn.p2p"), NODES.textNode("debug"))
        .build();
  }

  public static MethodSpec nodeInfo() {
    ObjectNode info = object("this node, for its operator")
        .required("peerId", peerId("this node's peer ID"))
        .required("listenAddresses", array(string("a multiaddr"), "where it listens for peers (empty without p2p)"))
        .required("version", string("node software version"))
        .required("chainId", ref("ChainId"))
        .required("height", ref("Height"))
        .required("role", enumOf(List.of("validator", "observer"), "validator of the next height, or observer"))
        .required("peers", integer(0, Integer.MAX_VALUE, "connected peers"))
        .required("addedObservers", array(peerId("an observer"), "peer IDs admitted with admin_addPeer"))
        .build();
    ObjectNode example = NODES.objectNode().put("peerId", SELF);
    example.putArray("listenAddresses").add("/ip4/0.0.0.0/tcp/30333");
    example.put("version", "0.1.0").put("chainId", "cairn-local").put("height", 12).put("role", "validator")
        .put("peers", 3);
    example.putArray("addedObservers").add(OBSERVER_PEER);
    return MethodSpec.named("admin_nodeInfo", "Identity, addresses and state of this node, with its added observers.")
        .result("info", "node info", info)
        .example("validator", "", example)
        .build();
  }

  private static ObjectNode peerId(String description) {
    return stringLength(1, 128, description).put("pattern", "^[1-9A-HJ-NP-Za-km-z]+$");
  }

  private static ObjectNode peerText() {
    return stringLength(1, PEER_TEXT_CHARS_MAX, "a peer ID (base58) or a multiaddr ending in /p2p/PEER_ID");
  }

  /** A regex that matches each word in any mix of case: JSON Schema patterns have no case-insensitive flag. */
  static String anyCase(List<String> words) {
    return words.stream()
        .map(word -> word.chars().mapToObj(c -> "[" + Character.toUpperCase((char) c)
            + Character.toLowerCase((char) c) + "]").collect(Collectors.joining()))
        .collect(Collectors.joining("|", "^(", ")$"));
  }

  /** A SHA-256 digest standing for a message's, with the validator's real signature of it. */
  private static ObjectNode signedExample(KeyPair validator, String seed) {
    byte[] digest = Hashing.sha256(seed.getBytes(StandardCharsets.UTF_8));
    return NODES.objectNode().put("digest", hex(digest))
        .put("signature", hex(validator.sign(digest).bytes().unsafeArray()))
        .putNull("message");
  }

  private static String hex(byte[] bytes) {
    return "0x" + HexFormat.of().formatHex(bytes);
  }
}
