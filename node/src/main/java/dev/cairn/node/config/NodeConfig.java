package dev.cairn.node.config;

import dev.cairn.node.mempool.MempoolConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything a node is configured with, parsed once at start-up from defaults, the TOML file, {@code CAIRN_*}
 * environment variables and command-line flags (later sources win) and validated as a whole.
 */
public record NodeConfig(
    Path dataDir,
    Path genesisFile,
    Path nodeKeyFile,
    String logLevel,
    Rpc rpc,
    P2p p2p,
    MempoolConfig mempool,
    Production production) {

  /** JSON-RPC endpoint and its limits. */
  public record Rpc(
      boolean enabled,
      String host,
      int port,
      int requestBytesMax,
      int batchLengthMax,
      int requestsPerSecondMax,
      int wsSubscriptionsMax) {}

  /** libp2p listen address, peers to dial, and the observers allowed besides the validators. */
  public record P2p(boolean enabled, String listen, List<String> bootnodes, List<String> observers) {
    public P2p {
      bootnodes = List.copyOf(bootnodes);
      observers = List.copyOf(observers);
    }
  }

  /**
   * Block production knobs local to this node.
   *
   * @param blockPeriodMillisOverride 0 to use the genesis block period; otherwise this node's own period
   * @param shutdownGraceMillis how long shutdown waits for an in-flight block before abandoning it
   */
  public record Production(long blockPeriodMillisOverride, long shutdownGraceMillis) {}
}
