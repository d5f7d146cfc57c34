package dev.cairn.genesis.cli;

import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.GenesisBlock;
import dev.cairn.genesis.GenesisException;
import dev.cairn.genesis.GenesisParser;
import dev.cairn.genesis.GenesisResult;
import dev.cairn.genesis.GenesisTime;
import dev.cairn.genesis.network.GeneratedNetwork;
import dev.cairn.genesis.network.NetworkGenerator;
import dev.cairn.genesis.network.NetworkSpec;
import dev.cairn.genesis.network.Placement;
import dev.cairn.ledger.crypto.KeyPair;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn genesis}: generate a local network, validate a genesis file, print its hash. */
@Command(
    name = "genesis",
    mixinStandardHelpOptions = true,
    description = "Genesis tooling: generate a local network, validate a genesis file, print its hash.",
    subcommands = {GenesisCommand.NewNetwork.class, GenesisCommand.Validate.class, GenesisCommand.HashFile.class})
public final class GenesisCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Reads and hashes a file; prints the one-line error and returns empty when it is unusable. */
  static Optional<GenesisBlock> load(Path file, PrintWriter err) {
    GenesisResult result;
    try {
      result = GenesisParser.read(file);
    } catch (UncheckedIOException e) {
      err.println("error: " + e.getMessage());
      return Optional.empty();
    }
    if (result instanceof GenesisResult.Invalid invalid) {
      err.println("error: " + invalid.message());
      return Optional.empty();
    }
    return Optional.of(GenesisBlock.of(result.orThrow()));
  }

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Check a genesis file; print OK and its genesis hash, or the one field that is wrong.")
  static final class Validate implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The genesis file (genesis.json).")
    Path file;

    @Override
    public Integer call() {
      Optional<GenesisBlock> genesis = load(file, spec.commandLine().getErr());
      genesis.ifPresent(g -> spec.commandLine().getOut().println("OK " + g.hash()));
      return genesis.isPresent() ? 0 : 1;
    }
  }

  @Command(name = "hash", mixinStandardHelpOptions = true, description = "Print the genesis hash of a genesis file.")
  static final class HashFile implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The genesis file (genesis.json).")
    Path file;

    @Override
    public Integer call() {
      Optional<GenesisBlock> genesis = load(file, spec.commandLine().getErr());
      genesis.ifPresent(g -> spec.commandLine().getOut().println(g.hash()));
      return genesis.isPresent() ? 0 : 1;
    }
  }

  @Command(name = "new-network", mixinStandardHelpOptions = true,
      description = {"Generate a network: genesis.json, a key and config.toml per node, and a prefunded dev "
          + "account key (unencrypted: for tests and local use only).",
          "Without --hosts every node runs on this machine at 127.0.0.1. With --hosts each node directory is "
          + "complete for its host (config.toml, node.key, genesis.json) and needs no editing."})
  static final class NewNetwork implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--validators", required = true, description = "Number of validators (1..100).")
    int validators;

    @Option(names = "--observers", defaultValue = "0", description = "Number of observer nodes (default: ${DEFAULT-VALUE}).")
    int observers;

    @Option(names = "--chain-id", required = true, description = "Chain id: 1 to 64 characters of a-z, 0-9 and '-'.")
    String chainId;

    @Option(names = "--out", required = true, description = "Directory to write; must not already hold a network.")
    Path out;

    @Option(names = "--base-port", defaultValue = "" + NetworkSpec.DEFAULT_BASE_PORT,
        description = "p2p port of node-0; node i listens on base + i (default: ${DEFAULT-VALUE}).")
    int basePort;

    @Option(names = "--rpc-base-port", defaultValue = "" + NetworkSpec.DEFAULT_RPC_BASE_PORT,
        description = "JSON-RPC port of node-0; node i serves on base + i (default: ${DEFAULT-VALUE}).")
    int rpcBasePort;

    @Option(names = "--hosts", split = ",", paramLabel = "HOST",
        description = "One host per node, validators first, then observers: IPv4, IPv6 or DNS names, "
            + "comma-separated. Nodes on distinct hosts use the same ports; nodes sharing a host get consecutive ones.")
    java.util.List<String> hosts = java.util.List.of();

    @Option(names = "--rpc-public",
        description = "Serve JSON-RPC on each node's host address instead of 127.0.0.1 (enable authentication and "
            + "TLS then: docs/operations.md).")
    boolean rpcPublic;

    @Option(names = "--block-period-ms", description = "Block period in milliseconds (default: 1000).")
    Long blockPeriodMillis;

    @Option(names = "--round-timeout-ms",
        description = "Round-0 timeout in milliseconds (default: the larger of 2000 and twice the block period).")
    Long roundTimeoutMillis;

    @Option(names = "--round-timeout-max-ms",
        description = "Cap on round timeouts in milliseconds (default: the larger of 60000 and the round timeout).")
    Long roundTimeoutMillisMax;

    @Option(names = "--block-txs-max", description = "Most transactions per block (default: 10000).")
    Integer blockTxsMax;

    @Option(names = "--block-bytes-max", description = "Most encoded bytes per block (default: 8388608).")
    Integer blockBytesMax;

    @Option(names = "--no-empty-blocks", description = "Propose blocks only when there are transactions.")
    boolean noEmptyBlocks;

    @Option(names = "--genesis-time", description = "Genesis time, RFC 3339 (default: now, whole seconds).")
    String genesisTime;

    @Option(names = "--dev-balance", defaultValue = "" + NetworkSpec.DEFAULT_DEV_BALANCE,
        description = "Opening balance of the dev account (default: ${DEFAULT-VALUE}).")
    long devBalance;

    @Override
    public Integer call() {
      NetworkSpec networkSpec;
      try {
        networkSpec = new NetworkSpec(validators, observers, chainId, genesisTimeMillis(), consensus(), basePort,
            rpcBasePort, devBalance, new Placement(hosts, rpcPublic));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      GeneratedNetwork network;
      try {
        network = new NetworkGenerator(KeyPair::generate).generate(networkSpec, out);
      } catch (GenesisException | UncheckedIOException e) {
        spec.commandLine().getErr().println("error: " + e.getMessage());
        return 1;
      }
      spec.commandLine().getOut().print(network.summary());
      spec.commandLine().getOut().flush();
      return 0;
    }

    private ConsensusParameters consensus() {
      ConsensusParameters d = ConsensusParameters.DEFAULTS;
      long period = blockPeriodMillis != null ? blockPeriodMillis : d.blockPeriodMillis();
      long timeout = roundTimeoutMillis != null ? roundTimeoutMillis : Math.max(d.roundTimeoutMillis(), 2 * period);
      long timeoutMax = roundTimeoutMillisMax != null ? roundTimeoutMillisMax : Math.max(d.roundTimeoutMillisMax(), timeout);
      int txsMax = blockTxsMax != null ? blockTxsMax : d.blockTxsMax();
      int bytesMax = blockBytesMax != null ? blockBytesMax : d.blockBytesMax();
      var problem = ConsensusParameters.check(period, timeout, timeoutMax, txsMax, bytesMax);
      if (problem.isPresent()) {
        throw new IllegalArgumentException(optionFor(problem.get().field()) + ": " + problem.get().problem());
      }
      return new ConsensusParameters(period, timeout, timeoutMax, txsMax, bytesMax, !noEmptyBlocks);
    }

    private static String optionFor(String field) {
      return switch (field) {
        case "blockPeriodMillis" -> "--block-period-ms";
        case "roundTimeoutMillis" -> "--round-timeout-ms";
        case "roundTimeoutMillisMax" -> "--round-timeout-max-ms";
        case "blockTxsMax" -> "--block-txs-max";
        case "blockBytesMax" -> "--block-bytes-max";
        default -> field;
      };
    }

    private long genesisTimeMillis() {
      if (genesisTime == null) {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toEpochMilli();
      }
      try {
        return GenesisTime.parseMillis(genesisTime);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--genesis-time: " + e.getMessage());
      }
    }
  }
}
