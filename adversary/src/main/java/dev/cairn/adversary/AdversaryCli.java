package dev.cairn.adversary;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn-adversary <attack> [options]}: runs one named attack against a network the operator owns and
 * prints its report as one {@code key=value} line. See docs/security.md.
 */
@Command(name = "cairn-adversary", mixinStandardHelpOptions = true,
    description = "Runs a named attack against your own Cairn network (drills; see docs/security.md).",
    subcommands = {AdversaryCli.HandshakeFloodCommand.class})
public final class AdversaryCli implements Runnable {
  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new AdversaryCli()).execute(args));
  }

  /** Options every attack shares. */
  static final class Common {
    @Option(names = "--duration-s", defaultValue = "60", description = "How long to attack, seconds (default ${DEFAULT-VALUE}).")
    long durationSeconds;
  }

  static int report(Attack attack, long durationSeconds) throws InterruptedException {
    System.out.println(attack.run(Duration.ofSeconds(durationSeconds)).line());
    return 0;
  }

  @Command(name = "handshake-flood", mixinStandardHelpOptions = true,
      description = "Opens connections to a p2p port, sends a partial multistream header and holds them (outsider).")
  static final class HandshakeFloodCommand implements Callable<Integer> {
    @CommandLine.Mixin Common common = new Common();
    @Option(names = "--target", required = true, description = "host:port of the node's p2p listener.")
    String target;
    @Option(names = "--source", description = "Local address to connect from (e.g. 127.0.0.2).")
    String source;
    @Option(names = "--rate", defaultValue = "2000", description = "New connections per second (default ${DEFAULT-VALUE}).")
    int rate;
    @Option(names = "--hold-ms", defaultValue = "15000", description = "How long each connection is held, ms (default ${DEFAULT-VALUE}).")
    long holdMillis;
    @Option(names = "--open-max", defaultValue = "10000", description = "Most connections held at once (default ${DEFAULT-VALUE}).")
    int openMax;

    @Override
    public Integer call() throws Exception {
      return report(new HandshakeFlood(hostPort(target), source == null ? null : InetAddress.getByName(source), rate,
          holdMillis, openMax), common.durationSeconds);
    }
  }

  static InetSocketAddress hostPort(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) throw new CommandLine.ParameterException(new CommandLine(new AdversaryCli()), "expected host:port, got " + text);
    return new InetSocketAddress(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
  }
}
