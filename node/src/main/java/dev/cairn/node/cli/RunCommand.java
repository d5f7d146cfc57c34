package dev.cairn.node.cli;

import dev.cairn.node.Node;
import dev.cairn.node.config.NodeConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a node from a config file, CAIRN_* environment variables and flags (later wins). Stops cleanly on SIGTERM or Ctrl-C.")
final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
  @Mixin NodeOptions options;

  @Override
  public Integer call() throws Exception {
    NodeConfig config = options.load();
    return runUntilStopped(Node.start(config));
  }

  /** Exit code of a node whose consensus halted (sysexits' EX_SOFTWARE): a supervisor restarts it. */
  static final int EXIT_CONSENSUS_HALTED = 70;
  private static final long HALT_POLL_MILLIS = 500;

  /**
   * Blocks until SIGTERM/SIGINT, then closes the node: RPC first, then consensus, then RocksDB; returns 0.
   * A node whose consensus halted (a block or a vote it could not write: a full or failing disk; a broken
   * invariant) is fail-stop: it returns {@link #EXIT_CONSENSUS_HALTED} and the exit closes it, so a supervisor
   * (systemd's Restart=on-failure) restarts it once the cause is gone, not a node that never follows again.
   */
  static int runUntilStopped(Node node) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      node.close();
      stopped.countDown();
    }, "shutdown");
    // After a failed write (a full disk) RocksDB refuses a clean close too; its WAL recovers at the next open.
    hook.setUncaughtExceptionHandler((thread, e) -> log.warn("event=node_close_failed cause=\"{}\"", e.toString()));
    Runtime.getRuntime().addShutdownHook(hook);
    while (!stopped.await(HALT_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
      Throwable failure = node.consensus().failure();
      if (failure != null) {
        log.error("event=node_exiting reason=consensus_halted exit={} cause=\"{}\" hint=\"fix the cause (disk space, "
            + "disk errors: see the consensus_halted line above), then start the node again; it resumes from its store\"",
            EXIT_CONSENSUS_HALTED, failure.toString());
        return EXIT_CONSENSUS_HALTED;
      }
    }
    return 0;
  }
}
