package dev.cairn.node.cli;

import dev.cairn.node.Node;
import dev.cairn.node.config.NodeConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a node from a config file, CAIRN_* environment variables and flags (later wins). Stops cleanly on SIGTERM or Ctrl-C.")
final class RunCommand implements Callable<Integer> {
  @Mixin NodeOptions options;

  @Override
  public Integer call() throws Exception {
    NodeConfig config = options.load();
    runUntilStopped(Node.start(config));
    return 0;
  }

  /** Blocks until SIGTERM/SIGINT, then closes the node: RPC first, then consensus, then RocksDB. */
  static void runUntilStopped(Node node) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
  }
}
