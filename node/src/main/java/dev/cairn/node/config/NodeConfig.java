package dev.cairn.node.config;

import dev.cairn.ledger.store.StoreConfig;
import dev.cairn.mempool.MempoolConfig;
import dev.cairn.network.NetworkSettings;
import dev.cairn.network.SyncConfig;
import dev.cairn.network.TxBatching;
import dev.cairn.p2p.AdmissionLimits;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything a node is configured with, parsed once at start-up from defaults, the TOML file, {@code CAIRN_*}
 * environment variables and command-line flags (later sources win) and validated as a whole.
 */
public record NodeConfig(
    Path dataDir,
    Path genesisFile,
    Path nodeKeyFile,
    Optional<Path> p2pKeyFile,
    String logLevel,
    Rpc rpc,
    P2p p2p,
    MempoolConfig mempool,
    StoreConfig storage,
    Production production,
    Metrics metrics,
    Logging logging,
    SyncConfig sync,
    Explorer explorer,
    HeapCheck heapCheck) {

  /** The libp2p identity key ({@code node.p2p-key-file}): configured, else {@code DATA_DIR/p2p.key}. */
  public Path p2pKeyPath() {
    return p2pKeyFile.orElse(dataDir.resolve("p2p.key"));
  }

  /**
   * What start-up does when the configured in-memory bounds do not fit the heap ({@link HeapFit}): refuse to
   * start (the default), or say so at WARN and start anyway (a test rig that knowingly runs small heaps).
   */
  public enum HeapCheck {
    REFUSE,
    WARN
  }

  /**
   * The block explorer served on the RPC listener under {@code /explorer/} (needs {@code rpc.enabled}).
   *
   * @param enabled off by default: an operator opts in to serving web pages
   */
  public record Explorer(boolean enabled) {}

  /**
   * JSON-RPC endpoint and its limits.
   *
   * @param responseBytesMax largest serialized answer to one body (a single call or a whole batch)
   * @param wsAllowedOrigins browser origins allowed to open a WebSocket; empty refuses every web page
   * @param corsAllowedOrigins browser origins allowed by CORS on HTTP; empty sends no CORS headers
   * @param adminEnabled whether the {@code admin_} namespace is served at all
   * @param security authentication (tokens, permissions) and TLS of the endpoint
   * @param historyEntriesMax most entries one account or record history page returns (and the default size)
   */
  public record Rpc(
      boolean enabled,
      String host,
      int port,
      int requestBytesMax,
      int batchLengthMax,
      int requestsPerSecondMax,
      int wsSubscriptionsMax,
      long responseBytesMax,
      List<String> wsAllowedOrigins,
      List<String> corsAllowedOrigins,
      boolean adminEnabled,
      dev.cairn.rpc.server.RpcSecurity security,
      int historyEntriesMax,
      dev.cairn.rpc.RpcConfig.AnswerLimits answerLimits,
      long wsQueueBytesMax) {
    public Rpc {
      wsAllowedOrigins = List.copyOf(wsAllowedOrigins);
      corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
      Objects.requireNonNull(security, "security");
    }
  }

  /**
   * libp2p listen address, peers to dial, the observers allowed besides the validators, tx gossip batching,
   * and the connection budgets: authenticated peers ({@code connectionsMax}), connections still handshaking
   * ({@code admission}) and unsent bytes per connection ({@code outboundBacklogBytesMax}).
   *
   * @param gossipOutboundBytesMax unsent gossip bytes over all peers (transactions dropped first, consensus
   *     last); 0 derives it from the chain's largest gossip message ({@code GossipOutbound.derivedBytesMax})
   */
  public record P2p(boolean enabled, String listen, List<String> bootnodes, List<String> observers, TxBatching txBatching,
      int connectionsMax, AdmissionLimits admission, long outboundBacklogBytesMax, long gossipOutboundBytesMax,
      boolean acceptNodeKeyIdentities)
      implements NetworkSettings {
    public P2p {
      bootnodes = List.copyOf(bootnodes);
      observers = List.copyOf(observers);
      Objects.requireNonNull(txBatching, "txBatching");
      Objects.requireNonNull(admission, "admission");
    }

    /** The node-wide gossip outbound budget for a chain whose gossip is {@code gossip}: configured, or derived. */
    public long gossipOutboundBytes(dev.cairn.p2p.gossip.GossipConfig gossip) {
      return gossipOutboundBytesMax > 0 ? gossipOutboundBytesMax : dev.cairn.p2p.gossip.GossipOutbound.derivedBytesMax(gossip);
    }
  }

  /**
   * Block production knobs local to this node.
   *
   * @param blockPeriodMillisOverride 0 to use the genesis block period; otherwise this node's own period
   * @param shutdownGraceMillis how long shutdown waits for an in-flight block before abandoning it
   * @param unreachableProposerTimeoutMillis how long a round waits for a proposer this node has no connection
   *     to before asking for a round change (capped by the round's own timeout)
   */
  public record Production(long blockPeriodMillisOverride, long shutdownGraceMillis, long unreachableProposerTimeoutMillis) {}

  /**
   * The Prometheus endpoint, on its own listener so that it can be bound to an address only the monitoring
   * network reaches; off unless enabled (as Besu's {@code --metrics-enabled}).
   */
  public record Metrics(boolean enabled, String host, int port) {
    public Metrics {
      Objects.requireNonNull(host, "host");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("metrics.port must be in [0, 65535], got " + port);
      }
    }
  }

  /**
   * How log lines look ({@code text}: key=value lines; {@code json}: one JSON object per line) and the level
   * of each logger-name prefix that differs from the root level ({@code node.log-level}).
   */
  public record Logging(LogFormat format, Map<String, String> levels) {
    /** Most per-package levels: a config file names a handful, never hundreds. */
    public static final int LEVELS_MAX = 100;
    public static final List<String> LEVEL_NAMES = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");
    private static final Pattern LOGGER_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*){0,30}");

    public Logging {
      Objects.requireNonNull(format, "format");
      levels = Map.copyOf(levels);
      if (levels.size() > LEVELS_MAX) {
        throw new IllegalArgumentException("logging.levels names " + levels.size() + " loggers, at most " + LEVELS_MAX);
      }
      levels.forEach((logger, level) -> {
        if (logger.length() > 200 || !LOGGER_NAME.matcher(logger).matches()) {
          throw new IllegalArgumentException("logging.levels: '" + logger + "' is not a logger or package name");
        }
        if (!LEVEL_NAMES.contains(level)) {
          throw new IllegalArgumentException("logging.levels.\"" + logger + "\": expected one of " + LEVEL_NAMES + ", got " + level);
        }
      });
    }

    public static final Logging DEFAULT = new Logging(LogFormat.TEXT, Map.of());
  }

  public enum LogFormat {
    /** {@code ts=... level=... thread=... logger=... event=... key=value}: for people and grep. */
    TEXT,
    /** One JSON object per line (logback's JsonEncoder): for log shippers. */
    JSON
  }
}
