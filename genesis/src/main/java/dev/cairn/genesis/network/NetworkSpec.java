package dev.cairn.genesis.network;

import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.GenesisConfig;
import java.util.Objects;

/**
 * What {@code cairn genesis new-network} generates: N validators and M observers, all on this machine or one
 * per host ({@link Placement}). Node i (validators first, then observers) listens for peers on
 * {@code basePort + k} and serves JSON-RPC on {@code rpcBasePort + k}, k being {@link Placement#portOffset}:
 * i itself on one machine, 0 for a node alone on its host.
 *
 * @param devBalance opening balance of the dev account (admin and member), whose key is written unencrypted
 *     for tests and local experiments only
 */
public record NetworkSpec(
    int validators,
    int observers,
    String chainId,
    long genesisTimeMillis,
    ConsensusParameters consensus,
    int basePort,
    int rpcBasePort,
    long devBalance,
    Placement placement) {

  /** A local network is for development and tests; a real network is assembled from operators' keys. */
  public static final int NODES_MAX = 100;
  public static final int DEFAULT_BASE_PORT = 30300;
  public static final int DEFAULT_RPC_BASE_PORT = 8545;
  /** A node's metrics port is its RPC port plus this: 9545 beside 8545, as Besu's defaults are. */
  public static final int METRICS_PORT_OFFSET = 1000;
  public static final long DEFAULT_DEV_BALANCE = 1_000_000_000_000L;

  /** A network on this machine. */
  public NetworkSpec(int validators, int observers, String chainId, long genesisTimeMillis,
      ConsensusParameters consensus, int basePort, int rpcBasePort, long devBalance) {
    this(validators, observers, chainId, genesisTimeMillis, consensus, basePort, rpcBasePort, devBalance,
        Placement.LOCAL);
  }

  public NetworkSpec {
    Objects.requireNonNull(chainId, "chainId");
    Objects.requireNonNull(placement, "placement");
    Objects.requireNonNull(consensus, "consensus");
    if (validators < 1 || validators > NODES_MAX) {
      throw new IllegalArgumentException("--validators must be in [1, " + NODES_MAX + "], got " + validators);
    }
    if (observers < 0 || validators + observers > NODES_MAX) {
      throw new IllegalArgumentException(
          "--observers must be >= 0 and validators + observers at most " + NODES_MAX + ", got " + observers);
    }
    if (!GenesisConfig.CHAIN_ID.matcher(chainId).matches()) {
      throw new IllegalArgumentException("--chain-id must be 1 to 64 characters of a-z, 0-9 and '-', got '" + chainId + "'");
    }
    if (genesisTimeMillis < 0) {
      throw new IllegalArgumentException("--genesis-time must not be before 1970");
    }
    int nodes = validators + observers;
    if (!placement.local() && placement.hosts().size() != nodes) {
      throw new IllegalArgumentException("--hosts must name one host per node (" + nodes + ": validators first, then "
          + "observers), got " + placement.hosts().size());
    }
    int perHost = 1;
    for (int i = 0; i < nodes; i++) {
      perHost = Math.max(perHost, placement.portOffset(i) + 1);
    }
    checkPorts("--base-port", basePort, perHost);
    checkPorts("--rpc-base-port", rpcBasePort, perHost);
    checkPorts("--rpc-base-port (+" + METRICS_PORT_OFFSET + " for metrics)", rpcBasePort + METRICS_PORT_OFFSET, perHost);
    int metricsBase = rpcBasePort + METRICS_PORT_OFFSET;
    if (basePort < metricsBase + perHost && metricsBase < basePort + perHost) {
      throw new IllegalArgumentException("p2p ports " + basePort + ".." + (basePort + perHost - 1)
          + " overlap metrics ports " + metricsBase + ".." + (metricsBase + perHost - 1) + " (RPC port + "
          + METRICS_PORT_OFFSET + ")");
    }
    if (basePort < rpcBasePort + perHost && rpcBasePort < basePort + perHost) {
      throw new IllegalArgumentException("p2p ports " + basePort + ".." + (basePort + perHost - 1)
          + " overlap RPC ports " + rpcBasePort + ".." + (rpcBasePort + perHost - 1));
    }
    if (devBalance <= 0) {
      throw new IllegalArgumentException("--dev-balance must be positive, got " + devBalance);
    }
  }

  private static void checkPorts(String option, int base, int nodes) {
    if (base < 1024 || base + nodes - 1 > 65535) {
      throw new IllegalArgumentException(
          option + " must leave room for " + nodes + " ports in [1024, 65535], got " + base);
    }
  }

  public int nodes() {
    return validators + observers;
  }

  public int p2pPort(int index) {
    return basePort + placement.portOffset(index);
  }

  public int rpcPort(int index) {
    return rpcBasePort + placement.portOffset(index);
  }
}
