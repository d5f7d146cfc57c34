package dev.cairn.tools.bench;

import dev.cairn.genesis.network.GeneratedNetwork;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.tools.NodeJvm;
import dev.cairn.tools.loadgen.BenchWorkspace;
import dev.cairn.tools.loadgen.NodeProcess;
import dev.cairn.tools.loadgen.PresignedLoad;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Writes the ahead-of-time cache that node processes start from ({@link NodeJvm}): a training run of the bft
 * scenario in which node-0 records, with {@code -XX:AOTCacheOutput}, the classes it loads and the methods'
 * profiles under load (the transaction path, gossip, consensus, block commit), and writes them when it stops.
 * The cache belongs to one build of the node jar and one JDK: the nodes ignore it once the jar is rebuilt.
 */
@Command(name = "aot-train", mixinStandardHelpOptions = true,
    description = {
      "Train and write the node's ahead-of-time cache (JDK 25+): a short 4-validator run under load whose node-0",
      "records loaded classes and method profiles; written beside the node jar as " + NodeJvm.AOT_CACHE_NAME + ".",
      "Nodes started by ./cairn, bench, testnet and chaos then start from it (-XX:AOTMode=off in the JVM options",
      "turns it off). See docs/performance.md, \"Cold start\"."
    })
final class BenchAotCommand implements Callable<Integer> {
  static final Duration CACHE_WRITE_GRACE = Duration.ofMinutes(3);

  @Mixin BenchCommand.LoadOptions options;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    if (Runtime.version().feature() < 25) {
      out.println("bench aot-train: needs JDK 25 or later (this is " + Runtime.version() + "); ./cairn picks one when installed");
      return 1;
    }
    Path jar = NodeJvm.nodeJar().orElse(null);
    if (jar == null) {
      out.println("bench aot-train: no node jar named; run it as ./cairn bench aot-train (it names node/target/cairn-node.jar)");
      return 1;
    }
    Path cache = NodeJvm.aotCacheFor(jar);
    Path training = cache.resolveSibling(NodeJvm.AOT_CACHE_NAME + ".training");
    Files.deleteIfExists(training);
    long started = System.nanoTime();
    Integer result;
    try (BenchWorkspace workspace = BenchWorkspace.open(options.workDir, options.keep, out)) {
      String loadBefore = BenchCommand.loadAverage();
      out.println("bench: aot training run, work dir " + workspace.dir() + "  load average " + loadBefore);
      List<KeyPair> accounts = PresignedLoad.accounts(options.accounts);
      GeneratedNetwork network = BenchCommand.benchNetwork(workspace.dir(), 4, 0, options, accounts);
      PresignedLoad load = BenchCommand.sign(options, out, accounts, new long[accounts.size()],
          i -> accounts.get((i + 1) % accounts.size()).address());
      List<NodeProcess> nodes = BenchCommand.startNetwork(workspace, network, options, out,
          i -> i == 0 ? List.of("-XX:AOTCacheOutput=" + training) : List.of());
      result = BenchCommand.runAndReport(options, out, "aot-train", nodes,
          BenchCommand.settingsFor(options, nodes.stream().map(NodeProcess::rpcUrl).toList()), load, loadBefore,
          new BenchCommand.RunHooks() {});
      // SIGTERM: node-0's JVM writes the cache as it exits, which takes seconds (more on a busy machine).
      nodes.get(0).close(CACHE_WRITE_GRACE);
    }
    if (!Files.isRegularFile(training)) {
      out.println("bench aot-train: node-0 wrote no cache (see its log with --keep); " + cache + " left as it was");
      return 1;
    }
    Files.move(training, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    out.printf(Locale.ROOT, "bench aot-train: wrote %s (%.1f MiB) in %.0f s; nodes started from %s now use it%n", cache,
        Files.size(cache) / 1048576.0, (System.nanoTime() - started) / 1e9, jar.getFileName());
    return result;
  }
}
