package dev.cairn.wallet;

import dev.cairn.rpc.client.RpcClient;
import dev.cairn.rpc.client.RpcException;
import dev.cairn.rpc.client.RpcTransportException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The user CLI: {@code ./wallet <command>}. Options marked global work before or after the command. */
@Command(
    name = "wallet",
    mixinStandardHelpOptions = true,
    version = "cairn wallet 0.1.0",
    description = "Cairn wallet: keys in an encrypted keystore, signed transactions, queries over JSON-RPC.",
    subcommands = {
      KeyCommands.New.class,
      KeyCommands.ListKeys.class,
      KeyCommands.Import.class,
      KeyCommands.Export.class,
      KeyCommands.ShowAddress.class,
      QueryCommands.Balance.class,
      TxCommands.Transfer.class,
      TxCommands.RecordGroup.class,
      TxCommands.Grant.class,
      TxCommands.Revoke.class,
      TxCommands.VoteValidator.class,
      TxCommands.Sign.class,
      TxCommands.Send.class,
      QueryCommands.Tx.class,
      QueryCommands.Block.class,
      ProofCommand.class,
      HistoryCommand.class,
      NotarizeCommand.class,
      VerifyFileCommand.class,
      CommandLine.HelpCommand.class,
      // `generate-completion`: prints a bash/zsh completion script (the distribution ships it pre-generated).
      picocli.AutoComplete.GenerateCompletion.class
    })
public final class WalletCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--rpc", scope = ScopeType.INHERIT, paramLabel = "URL",
      description = "JSON-RPC endpoint (env CAIRN_RPC; default ${DEFAULT-VALUE}).",
      defaultValue = "${env:CAIRN_RPC:-http://127.0.0.1:8545}")
  String rpc;

  @Option(names = "--wallet-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
      description = "Keystore directory (env CAIRN_WALLET_DIR; default ~/.cairn/wallet).")
  Path walletDir;

  @Option(names = "--password-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "Read the keystore password from FILE's first line (else env CAIRN_WALLET_PASSWORD, else a prompt).")
  Path passwordFile;

  @Option(names = "--from", scope = ScopeType.INHERIT, paramLabel = "ADDRESS",
      description = "The account to act as (needed when the wallet holds several keys).")
  String from;

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print machine-readable JSON.")
  boolean json;

  @Option(names = "--timeout-seconds", scope = ScopeType.INHERIT, paramLabel = "SECONDS", defaultValue = "60",
      description = "How long --wait waits for finality, and each RPC call for an answer (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new WalletCli());
    addHelpOptions(cli);
    // One-line errors: the message says what went wrong and what to do; no stack trace.
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (e instanceof RpcTransportException) {
        message += " (the node's URL: --rpc or CAIRN_RPC)";
      }
      commandLine.getErr().println("error: " + message);
      return e instanceof RpcException ? 3 : 1;
    });
    return cli;
  }

  /**
   * Gives every command {@code -h/--help}, so that help works (exit 0) even on a command with required options
   * ({@code wallet sign --help}) instead of failing on them.
   */
  private static void addHelpOptions(CommandLine cli) {
    CommandLine.Model.CommandSpec s = cli.getCommandSpec();
    if (s.findOption("--help") == null) {
      s.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
          .description("Show this help message and exit.").build());
    }
    cli.getSubcommands().values().forEach(WalletCli::addHelpOptions);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  KeystoreDirectory keystores() {
    return new KeystoreDirectory(walletDir != null ? walletDir : KeystoreDirectory.defaultPath());
  }

  RpcClient client() {
    URI uri;
    try {
      uri = URI.create(rpc);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--rpc: not a URL: " + rpc);
    }
    return new RpcClient(uri, Duration.ofSeconds(Math.max(1, Math.min(timeoutSeconds, 30))));
  }

  Optional<String> from() {
    return Optional.ofNullable(from);
  }

  Passwords passwords() {
    return new Passwords(Optional.ofNullable(passwordFile));
  }
}
