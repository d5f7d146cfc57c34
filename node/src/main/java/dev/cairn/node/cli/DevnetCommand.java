package dev.cairn.node.cli;

import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.GenesisAccount;
import dev.cairn.genesis.GenesisConfig;
import dev.cairn.genesis.GenesisWriter;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Role;
import dev.cairn.node.Node;
import dev.cairn.node.config.ConfigLoader;
import dev.cairn.node.config.NodeConfig;
import dev.cairn.node.logging.LogSetup;
import dev.cairn.wallet.Keystore;
import dev.cairn.wallet.KeystoreDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "devnet", mixinStandardHelpOptions = true,
    description = {
      "Start a single-validator development chain: RocksDB under --data-dir (reused on the next start),",
      "a prefunded dev account (member and admin) with a wallet keystore, JSON-RPC on 127.0.0.1:8545."
    })
final class DevnetCommand implements Callable<Integer> {
  static final String CHAIN_ID = "cairn-devnet";
  static final String DEV_PASSWORD = "devnet";
  static final long DEV_BALANCE = 1_000_000_000_000L;
  /** The banner's example recipient: a throwaway address whose key anyone can derive from this text. */
  static final String RECIPIENT_SEED_TEXT = "cairn-devnet-recipient";

  @Option(names = "--data-dir", defaultValue = "data/devnet", paramLabel = "DIR", description = "Default: ${DEFAULT-VALUE}.")
  Path dataDir;

  @Option(names = "--reset", description = "Delete the data dir first: a new chain, new keys.")
  boolean reset;

  @Option(names = "--rpc-port", defaultValue = "8545", paramLabel = "PORT", description = "JSON-RPC port on 127.0.0.1 (default ${DEFAULT-VALUE}; 0 = any free port).")
  int rpcPort;

  @Option(names = "--block-period-ms", defaultValue = "1000", paramLabel = "MILLIS",
      description = "Block period written into a NEW devnet's genesis (default ${DEFAULT-VALUE}).")
  long blockPeriodMillis;

  @Option(names = "--log-level", defaultValue = "INFO", paramLabel = "LEVEL",
      description = "TRACE, DEBUG, INFO, WARN or ERROR (default ${DEFAULT-VALUE}).")
  String logLevel;

  @Override
  public Integer call() throws Exception {
    if (reset) {
      deleteRecursively(dataDir);
    }
    Path genesisFile = dataDir.resolve("genesis.json");
    Path validatorKey = dataDir.resolve("validator.key");
    Path walletDir = dataDir.resolve("wallet");
    boolean created = !Files.exists(genesisFile);
    KeyPair dev;
    if (created) {
      Files.createDirectories(dataDir);
      KeyPair validator = KeyPair.generate();
      dev = KeyPair.generate();
      KeyFiles.writeNodeKey(validatorKey, validator);
      KeyFiles.writeNodeKey(dataDir.resolve("dev-account.key"), dev);
      ConsensusParameters params = new ConsensusParameters(
          blockPeriodMillis, Math.max(2_000, 4 * blockPeriodMillis), 60_000, 10_000, 8 * 1024 * 1024, false);
      GenesisConfig genesis = new GenesisConfig(CHAIN_ID, System.currentTimeMillis(), params,
          List.of(validator.publicKey()),
          List.of(new GenesisAccount(dev.address(), DEV_BALANCE, EnumSet.of(Role.MEMBER, Role.ADMIN))),
          List.of());
      GenesisWriter.write(genesisFile, genesis);
      new KeystoreDirectory(walletDir).save(Keystore.encrypt(dev, DEV_PASSWORD.toCharArray(), Keystore.ScryptParams.STANDARD));
    } else {
      dev = KeyFiles.readNodeKey(dataDir.resolve("dev-account.key"));
    }
    NodeConfig config = ConfigLoader.defaults()
        .with("node.data-dir", dataDir.toAbsolutePath().toString())
        .with("node.genesis-file", genesisFile.toAbsolutePath().toString())
        .with("node.node-key-file", validatorKey.toAbsolutePath().toString())
        .with("node.log-level", logLevel)
        .with("rpc.port", Integer.toString(rpcPort))
        .with("explorer.enabled", "true")
        .build(Path.of("").toAbsolutePath());
    LogSetup.apply(config.logLevel(), config.logging());
    Node node = Node.start(config);
    printWelcome(System.out, node, dev, walletDir, created);
    return RunCommand.runUntilStopped(node);
  }

  private void printWelcome(PrintStream out, Node node, KeyPair dev, Path walletDir, boolean created) {
    String rpc = "http://127.0.0.1:" + node.rpcPort();
    out.println();
    out.println("Cairn devnet " + (created ? "created and " : "") + "running (Ctrl-C stops it; the chain is kept)");
    out.println("  chain id     " + node.genesis().chainId());
    out.println("  JSON-RPC     " + rpc + "   WebSocket ws://127.0.0.1:" + node.rpcPort() + "/ws");
    out.println("  explorer     " + rpc + "/explorer/   (blocks, transactions, accounts, verified in your browser)");
    out.println("  data dir     " + dataDir + "   (height " + node.headHeight() + "; --reset starts over)");
    out.println("  dev account  " + dev.address() + "   (member, admin; keystore password '" + DEV_PASSWORD + "')");
    out.println();
    out.println("Try, in another terminal:");
    out.println("  export CAIRN_RPC=" + rpc + " CAIRN_WALLET_DIR=" + walletDir + " CAIRN_WALLET_PASSWORD=" + DEV_PASSWORD);
    out.println("  ./wallet balance");
    out.println("  ./wallet transfer --to " + KeyPair.fromSeedText(RECIPIENT_SEED_TEXT).address() + " --amount 10 --wait");
    out.println("      (an example recipient, not yours: its key comes from the public text '" + RECIPIENT_SEED_TEXT
        + "', so anyone can spend from it; make your own address with './wallet new')");
    out.println("  ./wallet record put greeting hello --wait");
    out.println("  ./wallet verify-proof --record greeting --validators " + dataDir.resolve("genesis.json"));
    out.println();
    out.flush();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
