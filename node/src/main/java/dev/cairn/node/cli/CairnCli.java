package dev.cairn.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The operator CLI: {@code ./cairn <command>}. */
@Command(
    name = "cairn",
    mixinStandardHelpOptions = true,
    versionProvider = CairnCli.Version.class,
    description = "Cairn permissioned ledger node.",
    footer = {"", "Tooling (./cairn runs it from the tools jar, see docs/operations.md):",
        "  testnet       A local multi-validator network, one node process each.",
        "  bench         Load generator and benchmark scenarios (docs/performance.md).",
        "  chaos         Fault campaigns on real node processes (docs/reliability.md)."},
    subcommands = {
      DevnetCommand.class,
      RunCommand.class,
      InitCommand.class,
      VerifyChainCommand.class,
      BlocksCommand.class,
      BackupCommand.class,
      KeysCommand.class,
      ConfigCommand.class,
      RpcUserCommand.class,
      dev.cairn.genesis.cli.GenesisCommand.class,
      CommandLine.HelpCommand.class,
      // `generate-completion`: prints a bash/zsh completion script (the distribution ships it pre-generated).
      picocli.AutoComplete.GenerateCompletion.class
    })
public final class CairnCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    return withOperatorErrors(new CommandLine(new CairnCli()));
  }

  /** One-line errors for operators: no stack trace for a bad flag or a bad config value. */
  public static CommandLine withOperatorErrors(CommandLine cli) {
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("error: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      return 1;
    });
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = CairnCli.class.getPackage().getImplementationVersion();
      return new String[] {"cairn " + (version == null ? "dev" : version)};
    }
  }
}
