package dev.cairn.node.cli;

import dev.cairn.node.config.ConfigLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "config", mixinStandardHelpOptions = true, description = "Show configuration keys and their defaults.")
final class ConfigCommand implements Callable<Integer> {
  @Option(names = "--defaults", description = "Print every config key with its default value, as TOML.")
  boolean defaults = true;

  @Override
  public Integer call() {
    System.out.print(ConfigLoader.DEFAULTS);
    return 0;
  }
}
