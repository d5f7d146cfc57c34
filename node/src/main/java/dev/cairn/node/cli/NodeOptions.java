package dev.cairn.node.cli;

import dev.cairn.node.config.ConfigException;
import dev.cairn.node.config.ConfigLoader;
import dev.cairn.node.config.NodeConfig;
import dev.cairn.node.logging.LogSetup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The configuration flags shared by {@code run} and {@code init}: a TOML file, then CAIRN_* environment
 * variables, then these flags (later wins); see {@code cairn config --defaults} for every key.
 */
final class NodeOptions {
  @Option(names = "--config", paramLabel = "FILE", description = "TOML config file (paths in it are relative to its directory).")
  Path configFile;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the node keeps its RocksDB (node.data-dir).")
  String dataDir;

  @Option(names = "--genesis", paramLabel = "FILE", description = "genesis.json (node.genesis-file).")
  String genesisFile;

  @Option(names = "--node-key", paramLabel = "FILE", description = "The node's Ed25519 key file (node.node-key-file).")
  String nodeKeyFile;

  @Option(names = "--rpc-host", paramLabel = "HOST", description = "JSON-RPC bind address (rpc.host).")
  String rpcHost;

  @Option(names = "--rpc-port", paramLabel = "PORT", description = "JSON-RPC port, 0 for any free port (rpc.port).")
  Integer rpcPort;

  @Option(names = "--block-period-ms", paramLabel = "MILLIS", description = "Override the genesis block period on this node (production.block-period-millis-override).")
  Long blockPeriodMillis;

  @Option(names = "--log-level", paramLabel = "LEVEL", description = "TRACE, DEBUG, INFO, WARN or ERROR (node.log-level).")
  String logLevel;

  @Option(names = "--sync", paramLabel = "MODE", description = "block (replay from genesis) or state (an empty data dir downloads a recent snapshot's state first) (sync.mode).")
  String syncMode;

  @Option(names = "--trust-height", paramLabel = "HEIGHT", description = "State sync: the snapshot height whose block hash you trust (sync.trust-height).")
  Long trustHeight;

  @Option(names = "--trust-hash", paramLabel = "0xHASH", description = "State sync: the block hash at --trust-height, from a node you trust (sync.trust-hash).")
  String trustHash;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Set any config key, e.g. --set mempool.txs-max=50000 (repeatable).")
  List<String> settings = new ArrayList<>();

  NodeConfig load() throws ConfigException {
    ConfigLoader loader = ConfigLoader.defaults();
    Path baseDir = Path.of("").toAbsolutePath();
    if (configFile != null) {
      loader = loader.withFile(configFile);
      baseDir = configFile.toAbsolutePath().getParent();
    }
    loader = loader.withEnvironment(System.getenv());
    loader = set(loader, "node.data-dir", dataDir);
    loader = set(loader, "node.genesis-file", genesisFile);
    loader = set(loader, "node.node-key-file", nodeKeyFile);
    loader = set(loader, "rpc.host", rpcHost);
    loader = set(loader, "sync.mode", syncMode);
    loader = set(loader, "sync.trust-height", trustHeight == null ? null : trustHeight.toString());
    loader = set(loader, "sync.trust-hash", trustHash);
    loader = set(loader, "rpc.port", rpcPort == null ? null : rpcPort.toString());
    loader = set(loader, "production.block-period-millis-override", blockPeriodMillis == null ? null : blockPeriodMillis.toString());
    loader = set(loader, "node.log-level", logLevel);
    for (String setting : settings) {
      int eq = setting.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException("--set expects KEY=VALUE, got '" + setting + "'");
      }
      loader = loader.with(setting.substring(0, eq).trim(), setting.substring(eq + 1).trim());
    }
    // Flags name paths relative to where the operator stands, not to the config file.
    NodeConfig config = loader.build(baseDir);
    if (dataDir != null || genesisFile != null || nodeKeyFile != null) {
      Path cwd = Path.of("").toAbsolutePath();
      config = new NodeConfig(
          dataDir != null ? cwd.resolve(dataDir).normalize() : config.dataDir(),
          genesisFile != null ? cwd.resolve(genesisFile).normalize() : config.genesisFile(),
          nodeKeyFile != null ? cwd.resolve(nodeKeyFile).normalize() : config.nodeKeyFile(), config.p2pKeyFile(),
          config.logLevel(), config.rpc(), config.p2p(), config.mempool(), config.storage(), config.production(),
          config.metrics(), config.logging(), config.sync(), config.explorer(), config.heapCheck());
    }
    LogSetup.apply(config.logLevel(), config.logging());
    return config;
  }

  private static ConfigLoader set(ConfigLoader loader, String key, String value) throws ConfigException {
    return value == null ? loader : loader.with(key, value);
  }
}
