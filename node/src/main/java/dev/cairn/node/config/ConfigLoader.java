package dev.cairn.node.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.cairn.ledger.state.CachingNodeStore;
import dev.cairn.ledger.store.StoreConfig;
import dev.cairn.mempool.MempoolConfig;
import dev.cairn.network.SyncConfig;
import dev.cairn.network.TxBatching;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a {@link NodeConfig} from layered sources: built-in defaults, then a TOML file, then environment
 * variables ({@code CAIRN_RPC_PORT} sets {@code rpc.port}, {@code CAIRN_DATA_DIR} sets {@code node.data-dir}),
 * then explicit overrides from command-line flags. Unknown keys are errors, so a typo never silently falls
 * back to a default.
 */
public final class ConfigLoader {
  /** The defaults, as TOML: also the reference for every key (printed by {@code cairn config --defaults}). */
  public static final String DEFAULTS =
      """
      [node]
      data-dir = "data/node"
      genesis-file = "genesis.json"
      node-key-file = "node.key"
      p2p-key-file = ""
      log-level = "INFO"
      heap-check = "refuse"

      [rpc]
      enabled = true
      host = "127.0.0.1"
      port = 8545
      request-bytes-max = 1048576
      batch-length-max = 1000
      requests-per-second-max = 5000
      ws-subscriptions-max = 100
      response-bytes-max = 33554432
      ws-allowed-origins = []
      cors-allowed-origins = []
      admin-enabled = false
      history-entries-max = 100
      large-answer-bytes = 1048576
      large-answers-max = 2
      large-answers-per-client-max = 1
      large-answer-wait-millis = 1000
      answer-write-timeout-millis = 10000
      ws-queue-bytes-max = 32768

      [rpc-auth]
      enabled = false
      credentials-file = ""
      jwt-public-key-file = ""
      jwt-algorithm = "RS256"
      token-lifetime-millis = 300000
      logins-per-minute-per-ip = 10
      login-burst-max = 5
      login-checks-concurrent-max = 2

      [rpc-tls]
      enabled = false
      keystore-file = ""
      keystore-password-file = ""
      truststore-file = ""
      truststore-password-file = ""

      [explorer]
      enabled = false

      [p2p]
      enabled = false
      listen = "/ip4/0.0.0.0/tcp/30333"
      bootnodes = []
      observers = []
      accept-node-key-identities = true
      tx-batch-txs-max = 1000
      tx-batch-bytes-max = 524288
      tx-batch-linger-millis = 10
      tx-batch-queue-max = 64
      connections-max = 128
      handshakes-inbound-max = 32
      handshakes-inbound-per-ip-max = 4
      handshakes-known-peers-reserved = 16
      dials-outbound-max = 64
      accepts-per-second-max = 100
      accepts-per-ip-per-second-max = 10
      ips-tracked-max = 4096
      refusal-log-interval-millis = 10000
      outbound-backlog-bytes-max = 8388608
      gossip-outbound-bytes-max = 0

      [mempool]
      txs-max = 200000
      bytes-max = 268435456
      txs-per-sender-max = 10000
      nonce-gap-max = 10000

      [storage]
      block-cache-bytes = 268435456
      state-node-cache-entries = 200000
      retain-blocks = 0
      retain-state = 0
      prune-batch-entries-max = 10000

      [sync]
      mode = "block"
      snapshot-interval = 0
      chunk-bytes-max = 4194304
      chunk-prefix-bits = 8
      chunk-requests-in-flight-max = 8
      chunk-request-timeout-millis = 10000
      peer-wait-millis = 60000
      no-peer-grace-millis = 30000
      download-deadline-millis = 3600000
      trust-height = 0
      trust-hash = ""

      [production]
      block-period-millis-override = 0
      shutdown-grace-millis = 5000
      unreachable-proposer-timeout-millis = 200

      [metrics]
      enabled = false
      host = "127.0.0.1"
      port = 9545

      [logging]
      format = "text"

      [logging.levels]
      """;

  /** The one open table: its keys are logger names chosen by the operator, not keys of these defaults. */
  private static final String LOG_LEVELS = "logging.levels";

  private static final TomlMapper TOML = new TomlMapper();

  /** Where a keystore password comes from when its file key is empty. */
  public static final String KEYSTORE_PASSWORD_ENV = "CAIRN_RPC_TLS_KEYSTORE_PASSWORD";
  public static final String TRUSTSTORE_PASSWORD_ENV = "CAIRN_RPC_TLS_TRUSTSTORE_PASSWORD";

  private final ObjectNode tree;
  private Map<String, String> environment = Map.of();

  private ConfigLoader(ObjectNode tree) {
    this.tree = tree;
  }

  public static ConfigLoader defaults() {
    try {
      return new ConfigLoader((ObjectNode) TOML.readTree(DEFAULTS));
    } catch (IOException e) {
      throw new IllegalStateException("built-in defaults are not valid TOML", e);
    }
  }

  /** Overlays a TOML file; every key must exist in the defaults. */
  public ConfigLoader withFile(Path file) throws ConfigException {
    JsonNode overlay;
    try {
      overlay = TOML.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + firstLine(e.getMessage()));
    }
    merge(tree, overlay, "");
    return this;
  }

  /** Overlays {@code CAIRN_SECTION_KEY} variables for every known key (CAIRN_RPC_PORT -> rpc.port). */
  public ConfigLoader withEnvironment(Map<String, String> env) throws ConfigException {
    environment = Map.copyOf(env);
    Iterator<Map.Entry<String, JsonNode>> sections = tree.fields();
    while (sections.hasNext()) {
      Map.Entry<String, JsonNode> section = sections.next();
      Iterator<String> keys = section.getValue().fieldNames();
      List<String> names = new ArrayList<>();
      keys.forEachRemaining(names::add);
      for (String key : names) {
        String sectionPrefix = section.getKey().equals("node") ? "" : section.getKey() + "_";
        String var = "CAIRN_" + (sectionPrefix + key).toUpperCase(Locale.ROOT).replace('-', '_');
        String value = env.get(var);
        if (value != null && !section.getValue().get(key).isObject()) {
          set(section.getKey() + "." + key, value, var);
        }
      }
    }
    return this;
  }

  /** Sets one dotted key ({@code rpc.port}) from text, as a flag would. */
  public ConfigLoader with(String dottedKey, String value) throws ConfigException {
    set(dottedKey, value, "flag for " + dottedKey);
    return this;
  }

  private void set(String dottedKey, String value, String source) throws ConfigException {
    if (dottedKey.startsWith(LOG_LEVELS + ".") && dottedKey.length() > LOG_LEVELS.length() + 1) {
      ((ObjectNode) tree.get("logging").get("levels")).put(dottedKey.substring(LOG_LEVELS.length() + 1), value);
      return;
    }
    int dot = dottedKey.indexOf('.');
    JsonNode section = dot < 0 ? null : tree.get(dottedKey.substring(0, dot));
    String key = dot < 0 ? dottedKey : dottedKey.substring(dot + 1);
    if (!(section instanceof ObjectNode object) || !object.has(key)) {
      throw new ConfigException("unknown config key '" + dottedKey + "' (from " + source + ")");
    }
    JsonNode current = object.get(key);
    if (current.isArray()) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      for (String part : value.split(",")) {
        if (!part.isBlank()) {
          array.add(part.trim());
        }
      }
      object.set(key, array);
    } else if (current.isBoolean()) {
      if (!value.equals("true") && !value.equals("false")) {
        throw new ConfigException(dottedKey + ": expected true or false, got '" + value + "' (from " + source + ")");
      }
      object.put(key, Boolean.parseBoolean(value));
    } else if (current.isNumber()) {
      try {
        object.put(key, Long.parseLong(value.trim()));
      } catch (NumberFormatException e) {
        throw new ConfigException(dottedKey + ": expected a whole number, got '" + value + "' (from " + source + ")");
      }
    } else {
      object.put(key, value);
    }
  }

  private static void merge(ObjectNode target, JsonNode overlay, String path) throws ConfigException {
    if (!overlay.isObject()) {
      throw new ConfigException((path.isEmpty() ? "config" : path) + ": expected a table");
    }
    Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
      JsonNode existing = target.get(field.getKey());
      if (path.equals(LOG_LEVELS)) {
        if (!field.getValue().isTextual()) {
          throw new ConfigException(name + ": expected a level name string, got " + field.getValue().getNodeType().name().toLowerCase(Locale.ROOT));
        }
        target.set(field.getKey(), field.getValue());
        continue;
      }
      if (existing == null) {
        throw new ConfigException("unknown config key '" + name + "' (see `cairn config --defaults` for all keys)");
      }
      if (existing.isObject()) {
        merge((ObjectNode) existing, field.getValue(), name);
      } else if (existing.getNodeType() != field.getValue().getNodeType()
          && !(existing.isNumber() && field.getValue().isNumber())) {
        throw new ConfigException(name + ": expected " + existing.getNodeType().name().toLowerCase(Locale.ROOT)
            + ", got " + field.getValue().getNodeType().name().toLowerCase(Locale.ROOT));
      } else {
        target.set(field.getKey(), field.getValue());
      }
    }
  }

  /** Validates and freezes the result; relative paths resolve against {@code baseDir}. */
  public NodeConfig build(Path baseDir) throws ConfigException {
    JsonNode node = tree.get("node");
    JsonNode rpc = tree.get("rpc");
    JsonNode p2p = tree.get("p2p");
    JsonNode mempool = tree.get("mempool");
    JsonNode production = tree.get("production");
    JsonNode storage = tree.get("storage");
    JsonNode metrics = tree.get("metrics");
    JsonNode sync = tree.get("sync");
    JsonNode explorer = tree.get("explorer");
    if (explorer.get("enabled").asBoolean() && !rpc.get("enabled").asBoolean()) {
      throw new ConfigException("explorer.enabled needs rpc.enabled: the explorer is served on the RPC listener");
    }
    String logLevel = node.get("log-level").asText().toUpperCase(Locale.ROOT);
    if (!List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR").contains(logLevel)) {
      throw new ConfigException("node.log-level: expected one of TRACE, DEBUG, INFO, WARN, ERROR; got " + logLevel);
    }
    MempoolConfig mempoolConfig;
    TxBatching txBatching;
    dev.cairn.p2p.AdmissionLimits admission;
    StoreConfig storeConfig;
    try {
      int nodeCacheEntries = intIn(storage, "storage", "state-node-cache-entries", 0, CachingNodeStore.NODES_MAX);
      if (nodeCacheEntries != 0 && nodeCacheEntries < StoreConfig.NODE_CACHE_ENTRIES_MIN) {
        throw new ConfigException("storage.state-node-cache-entries: expected 0 (no cache) or at least "
            + StoreConfig.NODE_CACHE_ENTRIES_MIN + ", got " + nodeCacheEntries);
      }
      storeConfig = StoreConfig.DEFAULTS
          .withBlockCacheBytes(longIn(storage, "storage", "block-cache-bytes", 1L << 20, 1L << 40))
          .withNodeCacheEntriesMax(nodeCacheEntries)
          .withRetention(new dev.cairn.ledger.store.Retention(
              longIn(storage, "storage", "retain-blocks", 0, Long.MAX_VALUE),
              longIn(storage, "storage", "retain-state", 0, Long.MAX_VALUE),
              intIn(storage, "storage", "prune-batch-entries-max", 1, 1_000_000)));
      txBatching = new TxBatching(
          intIn(p2p, "p2p", "tx-batch-txs-max", 1, Integer.MAX_VALUE),
          intIn(p2p, "p2p", "tx-batch-bytes-max", 1, Integer.MAX_VALUE),
          longIn(p2p, "p2p", "tx-batch-linger-millis", 0, Long.MAX_VALUE),
          intIn(p2p, "p2p", "tx-batch-queue-max", 1, 1_000_000));
      admission = new dev.cairn.p2p.AdmissionLimits(
          intIn(p2p, "p2p", "handshakes-inbound-max", 1, 1_000_000),
          intIn(p2p, "p2p", "handshakes-inbound-per-ip-max", 1, 1_000_000),
          intIn(p2p, "p2p", "handshakes-known-peers-reserved", 1, 1_000_000),
          intIn(p2p, "p2p", "dials-outbound-max", 1, 1_000_000),
          intIn(p2p, "p2p", "accepts-per-second-max", 1, 1_000_000),
          intIn(p2p, "p2p", "accepts-per-ip-per-second-max", 1, 1_000_000),
          intIn(p2p, "p2p", "ips-tracked-max", 1, 10_000_000),
          longIn(p2p, "p2p", "refusal-log-interval-millis", 100, 3_600_000));
      mempoolConfig = new MempoolConfig(
          intIn(mempool, "mempool", "txs-max", 1, 10_000_000),
          longIn(mempool, "mempool", "bytes-max", 1024, 1L << 36),
          intIn(mempool, "mempool", "txs-per-sender-max", 1, 10_000_000),
          intIn(mempool, "mempool", "nonce-gap-max", 0, 10_000_000));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    SyncConfig syncConfig = sync(sync, storeConfig.retention());
    return new NodeConfig(
        baseDir.resolve(node.get("data-dir").asText()).normalize(),
        baseDir.resolve(node.get("genesis-file").asText()).normalize(),
        baseDir.resolve(node.get("node-key-file").asText()).normalize(),
        java.util.Optional.of(node.get("p2p-key-file").asText()).filter(f -> !f.isEmpty()).map(f -> baseDir.resolve(f).normalize()),
        logLevel,
        new NodeConfig.Rpc(
            rpc.get("enabled").asBoolean(),
            rpc.get("host").asText(),
            intIn(rpc, "rpc", "port", 0, 65535),
            intIn(rpc, "rpc", "request-bytes-max", 1024, 64 * 1024 * 1024),
            intIn(rpc, "rpc", "batch-length-max", 1, 100_000),
            intIn(rpc, "rpc", "requests-per-second-max", 1, 10_000_000),
            intIn(rpc, "rpc", "ws-subscriptions-max", 0, 100_000),
            longIn(rpc, "rpc", "response-bytes-max", 1024, 1L << 31),
            strings(rpc.get("ws-allowed-origins")),
            strings(rpc.get("cors-allowed-origins")),
            rpc.get("admin-enabled").asBoolean(),
            RpcSecurityConfig.build(tree.get("rpc-auth"), tree.get("rpc-tls"), baseDir, environment),
            intIn(rpc, "rpc", "history-entries-max", 1, dev.cairn.rpc.ChainView.HISTORY_PAGE_ENTRIES_MAX),
            answerLimits(rpc),
            longIn(rpc, "rpc", "ws-queue-bytes-max", 1024, 1L << 30)),
        new NodeConfig.P2p(
            p2p.get("enabled").asBoolean(), p2p.get("listen").asText(), strings(p2p.get("bootnodes")), strings(p2p.get("observers")),
            txBatching, intIn(p2p, "p2p", "connections-max", 1, 1_000_000), admission,
            longIn(p2p, "p2p", "outbound-backlog-bytes-max", dev.cairn.p2p.P2pConfig.OUTBOUND_BACKLOG_BYTES_MIN, 1L << 32),
            longIn(p2p, "p2p", "gossip-outbound-bytes-max", 0, 1L << 40), p2p.get("accept-node-key-identities").asBoolean()),
        mempoolConfig,
        storeConfig,
        new NodeConfig.Production(
            longIn(production, "production", "block-period-millis-override", 0, 3_600_000),
            longIn(production, "production", "shutdown-grace-millis", 0, 600_000),
            longIn(production, "production", "unreachable-proposer-timeout-millis", 50, 3_600_000)),
        new NodeConfig.Metrics(metrics.get("enabled").asBoolean(), metrics.get("host").asText(),
            intIn(metrics, "metrics", "port", 0, 65535)),
        logging(tree.get("logging")),
        syncConfig,
        new NodeConfig.Explorer(explorer.get("enabled").asBoolean()),
        heapCheck(node));
  }

  private static NodeConfig.HeapCheck heapCheck(JsonNode node) throws ConfigException {
    String value = node.get("heap-check").asText().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "refuse" -> NodeConfig.HeapCheck.REFUSE;
      case "warn" -> NodeConfig.HeapCheck.WARN;
      default -> throw new ConfigException("node.heap-check: expected \"refuse\" or \"warn\", got \"" + value + "\"");
    };
  }

  private static NodeConfig.Logging logging(JsonNode logging) throws ConfigException {
    String format = logging.get("format").asText().toLowerCase(Locale.ROOT);
    if (!format.equals("text") && !format.equals("json")) {
      throw new ConfigException("logging.format: expected \"text\" or \"json\", got \"" + format + "\"");
    }
    Map<String, String> levels = new java.util.LinkedHashMap<>();
    logging.get("levels").fields().forEachRemaining(e -> levels.put(e.getKey(), e.getValue().asText().toUpperCase(Locale.ROOT)));
    try {
      return new NodeConfig.Logging(NodeConfig.LogFormat.valueOf(format.toUpperCase(Locale.ROOT)), levels);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  /**
   * The [sync] section. Pruning must keep the state of the latest snapshot height and of the one before (a
   * joiner may still be downloading it when the next is taken): retain-state is 0 or at least twice the interval.
   */
  private static SyncConfig sync(JsonNode sync, dev.cairn.ledger.store.Retention retention) throws ConfigException {
    long interval = longIn(sync, "sync", "snapshot-interval", 0, 1L << 40);
    if (interval > 0 && retention.retainState() != 0 && retention.retainState() < 2 * interval) {
      throw new ConfigException("storage.retain-state must be 0 or at least 2 x sync.snapshot-interval (" + 2 * interval
          + ") so that the latest snapshots keep their state, got " + retention.retainState());
    }
    try { // the mode, the trust pair and the relations between the waits are SyncConfig's to check
      SyncConfig.Waits waits = new SyncConfig.Waits(longIn(sync, "sync", "chunk-request-timeout-millis", 100, 600_000),
          longIn(sync, "sync", "peer-wait-millis", 1_000, 86_400_000), longIn(sync, "sync", "no-peer-grace-millis", 1_000, 86_400_000),
          longIn(sync, "sync", "download-deadline-millis", 1_000, 7 * 86_400_000L));
      return new SyncConfig(sync.get("mode").asText(), interval, intIn(sync, "sync", "chunk-bytes-max", 64 * 1024, 64 * 1024 * 1024),
          intIn(sync, "sync", "chunk-prefix-bits", 0, dev.cairn.ledger.state.StateChunk.PREFIX_BITS_MAX),
          intIn(sync, "sync", "chunk-requests-in-flight-max", 1, 1024), waits,
          longIn(sync, "sync", "trust-height", 0, Long.MAX_VALUE), SyncConfig.trustHash(sync.get("trust-hash").asText()));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  /** [rpc]'s bound on large answers, with the relation between its counts checked here, at start-up. */
  private static dev.cairn.rpc.RpcConfig.AnswerLimits answerLimits(JsonNode rpc) throws ConfigException {
    long largeBytes = longIn(rpc, "rpc", "large-answer-bytes", 1024, 1L << 31);
    int permits = intIn(rpc, "rpc", "large-answers-max", 1, 10_000);
    int perClient = intIn(rpc, "rpc", "large-answers-per-client-max", 1, 10_000);
    if (perClient > permits) {
      throw new ConfigException("rpc.large-answers-per-client-max (" + perClient + ") must be <= rpc.large-answers-max ("
          + permits + ")");
    }
    return new dev.cairn.rpc.RpcConfig.AnswerLimits(largeBytes, permits, perClient,
        longIn(rpc, "rpc", "large-answer-wait-millis", 0, 60_000), longIn(rpc, "rpc", "answer-write-timeout-millis", 100, 600_000));
  }

  private static int intIn(JsonNode section, String name, String key, int min, int max) throws ConfigException {
    return (int) longIn(section, name, key, min, max);
  }

  private static long longIn(JsonNode section, String name, String key, long min, long max) throws ConfigException {
    JsonNode value = section.get(key);
    if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
      throw new ConfigException(name + "." + key + ": expected a whole number in [" + min + ", " + max + "], got " + value);
    }
    return value.asLong();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(item -> out.add(item.asText()));
    return out;
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
