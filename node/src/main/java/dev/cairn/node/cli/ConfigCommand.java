package dev.cairn.node.cli;

import dev.cairn.node.config.ConfigLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "config", mixinStandardHelpOptions = true, description = "Show configuration keys and their defaults.")
final class ConfigCommand implements Callable<Integer> {
  @Option(names = "--defaults", description = "Print every config key with its default value, as TOML.")
  boolean defaults = true;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    // Through picocli's writer, so a test (docs/json-rpc.md's limits) reads exactly what an operator sees.
    spec.commandLine().getOut().print(ConfigLoader.DEFAULTS);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
