package dev.cairn.node.cli;

import ch.qos.logback.classic.Level;
import dev.cairn.node.config.ConfigException;
import dev.cairn.node.config.ConfigLoader;
import dev.cairn.node.config.NodeConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;
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
          nodeKeyFile != null ? cwd.resolve(nodeKeyFile).normalize() : config.nodeKeyFile(),
          config.logLevel(), config.rpc(), config.p2p(), config.mempool(), config.storage(), config.production(),
          config.explorer());
    }
    applyLogLevel(config.logLevel());
    return config;
  }

  private static ConfigLoader set(ConfigLoader loader, String key, String value) throws ConfigException {
    return value == null ? loader : loader.with(key, value);
  }

  static void applyLogLevel(String level) {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
      root.setLevel(Level.toLevel(level, Level.INFO));
    }
  }
}
