package dev.cairn.node.config;

import dev.cairn.ledger.store.StoreConfig;
import dev.cairn.node.mempool.MempoolConfig;
import dev.cairn.p2p.AdmissionLimits;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

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
    StoreConfig storage,
    Production production,
    Explorer explorer) {

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
      List<String> wsAllowedOrigins) {
    public Rpc {
      wsAllowedOrigins = List.copyOf(wsAllowedOrigins);
    }
  }

  /**
   * libp2p listen address, peers to dial, the observers allowed besides the validators, tx gossip batching,
   * and the connection budgets: authenticated peers ({@code connectionsMax}), connections still handshaking
   * ({@code admission}) and unsent bytes per connection ({@code outboundBacklogBytesMax}).
   */
  public record P2p(boolean enabled, String listen, List<String> bootnodes, List<String> observers, TxBatching txBatching,
      int connectionsMax, AdmissionLimits admission, long outboundBacklogBytesMax) {
    public P2p {
      bootnodes = List.copyOf(bootnodes);
      observers = List.copyOf(observers);
      Objects.requireNonNull(txBatching, "txBatching");
      Objects.requireNonNull(admission, "admission");
    }
  }

  /**
   * How transactions admitted from JSON-RPC are batched into gossip messages: a batch is published at
   * {@code txsPerBatchMax} transactions, before it would pass {@code batchBytesMax} encoded bytes, or
   * {@code lingerMillis} after its first transaction. The bounds the batch wire format sets (most transactions,
   * most bytes, room for one transaction of the largest size) live beside that format in
   * {@code network.NetworkLimits}, which checks these values when the network is built.
   *
   * @param txsPerBatchMax most transactions in one gossip message
   * @param batchBytesMax most encoded bytes of one batch (at least one transaction of the largest size)
   * @param lingerMillis longest a transaction waits for others before its batch is published
   * @param batchesQueuedMax batches waiting to be published before further ones are dropped from gossip
   */
  public record TxBatching(int txsPerBatchMax, int batchBytesMax, long lingerMillis, int batchesQueuedMax) {
    public TxBatching {
      if (txsPerBatchMax < 1) {
        throw new IllegalArgumentException("p2p.tx-batch-txs-max must be >= 1, got " + txsPerBatchMax);
      }
      if (batchBytesMax < 1) {
        throw new IllegalArgumentException("p2p.tx-batch-bytes-max must be >= 1, got " + batchBytesMax);
      }
      if (lingerMillis < 0 || lingerMillis > 1_000) {
        throw new IllegalArgumentException("p2p.tx-batch-linger-millis must be in [0, 1000], got " + lingerMillis);
      }
      if (batchesQueuedMax < 1) {
        throw new IllegalArgumentException("p2p.tx-batch-queue-max must be >= 1, got " + batchesQueuedMax);
      }
    }

    public static final TxBatching DEFAULT = new TxBatching(1_000, 512 * 1024, 10, 64);
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
}
