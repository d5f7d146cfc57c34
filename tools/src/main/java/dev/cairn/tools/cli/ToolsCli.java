package dev.cairn.tools.cli;

import dev.cairn.node.cli.CairnCli;
import dev.cairn.tools.bench.BenchCommand;
import dev.cairn.tools.chaos.ChaosCommand;
import dev.cairn.tools.testnet.TestnetCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The tooling half of {@code ./cairn}: the launcher sends {@code bench}, {@code testnet} and {@code chaos} here (the tools jar)
 * and every other command to the node jar, so users see one {@code cairn} command.
 */
@Command(
    name = "cairn",
    mixinStandardHelpOptions = true,
    versionProvider = CairnCli.Version.class,
    description = "Cairn tooling: load generator and benchmark scenarios, local test networks, fault campaigns.",
    subcommands = {TestnetCommand.class, BenchCommand.class, ChaosCommand.class, CommandLine.HelpCommand.class})
public final class ToolsCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(CairnCli.withOperatorErrors(new CommandLine(new ToolsCli())).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
