package dev.cairn.tools.chaos;

import dev.cairn.genesis.network.GeneratedNetwork;
import dev.cairn.genesis.network.NetworkGenerator;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.rpc.client.AccountInfo;
import dev.cairn.rpc.client.BlockTxIds;
import dev.cairn.rpc.client.RpcClient;
import dev.cairn.rpc.client.RpcException;
import dev.cairn.tools.NodeJvm;
import dev.cairn.tools.loadgen.NodeProcess;
import dev.cairn.tools.netns.NetnsBridge;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One manifest, run: writes the testnet, starts a process per node, runs the honest load while the faults
 * happen, waits for the last fault to heal and for recovery, lets the nodes converge, reads every node's
 * chain and balances, stops the nodes, runs {@code verify-chain} on every store, and hands it all to
 * {@link HistoryChecker}. Everything the run leaves (logs, history, manifest) stays in its work dir.
 */
public final class CampaignRun {
  /** How long, after the load, the nodes get to reach one head before the chains are read. */
  static final long CONVERGE_MILLIS_MAX = 120_000;
  static final List<String> NODE_JVM_OPTIONS = List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
      "-XX:MaxDirectMemorySize=128m", "-XX:TieredStopAtLevel=1");

  /** What a run found. */
  public record Result(Manifest manifest, List<HistoryChecker.Violation> violations, long submitted, long finals,
      long resends, long reads, long height, Map<String, Double> recoverySeconds, List<Double> catchUpSeconds,
      double wallSeconds, Path workDir, long[] finalityMillis, Map<String, Long> finalsByKind, int blockTxsMax,
      long heldBack, double faultWindowSeconds, long faultWindowFinals) {
    public boolean clean() {
      return violations.isEmpty();
    }
  }

  private final Manifest manifest;
  private final Path work;
  private final PrintStream out;

  public CampaignRun(Manifest manifest, Path work, PrintStream out) {
    this.manifest = manifest;
    this.work = work;
    this.out = out;
  }

  public Result run() throws Exception {
    long wallStart = System.nanoTime();
    Files.createDirectories(work);
    Files.writeString(work.resolve("manifest.toml"), manifest.toToml(), StandardCharsets.UTF_8);
    List<KeyPair> accounts = ChaosNetwork.accounts(manifest.load().senders());
    NetnsBridge hosts = null;
    if (manifest.namespaces()) {
      String unavailable = NetnsBridge.unavailableReason();
      if (unavailable != null) {
        throw new IllegalStateException("namespaces = true needs root and iproute2: " + unavailable);
      }
      if (manifest.perturbations().stream().anyMatch(p -> p.kind().network() && p.kind() != Perturbation.Kind.BANDWIDTH)
          && !NetnsBridge.hasNft()) {
        throw new IllegalStateException("network faults need nftables: install it with scripts/ensure-packages.sh nft");
      }
      hosts = NetnsBridge.create(manifest.nodes());
    }
    List<String> addresses = new ArrayList<>();
    for (int i = 0; hosts != null && i < manifest.nodes(); i++) {
      addresses.add(hosts.address(i));
    }
    GeneratedNetwork network = ChaosNetwork.write(manifest, work.resolve("net"), accounts, addresses);
    List<ChaosNode> nodes = new ArrayList<>();
    List<Path> mounts = new ArrayList<>();
    // One connection pool (and selector thread) for every client of the run, whatever node it talks to.
    RpcClient pool = new RpcClient(java.net.URI.create("http://127.0.0.1:1/"), Duration.ofSeconds(4));
    try {
      for (GeneratedNetwork.Node n : network.nodes()) {
        if (manifest.diskMib() > 0) {
          Path data = n.dir().resolve("data");
          Files.createDirectories(data);
          mustRun(List.of("mount", "-t", "tmpfs", "-o", "size=" + manifest.diskMib() + "m,mode=0700", "tmpfs", data.toString()));
          mounts.add(data);
        }
        Path clockFile = null;
        java.util.Map<String, String> environment = java.util.Map.of();
        if (manifest.perturbations().stream().anyMatch(p -> p.kind() == Perturbation.Kind.CLOCK_SKEW && p.node() == n.index())) {
          clockFile = n.dir().resolve("clock-offset");
          environment = ClockSkew.environment(clockFile);
        }
        NodeProcess.Placement placement = new NodeProcess.Placement(
            hosts == null ? List.of() : hosts.exec(n.index()), environment, n.rpcHost());
        NodeProcess p = NodeProcess.launch(n.name(), placement, NODE_JVM_OPTIONS,
            List.of("--config", n.dir().resolve("config.toml").toString()), n.rpcPort(), n.dir().resolve("node.log"));
        nodes.add(new ChaosNode(p, n.dir().resolve("data"), pool.at(p.rpcUrl()), clockFile));
      }
      for (ChaosNode n : nodes) {
        n.process().awaitReady(ChaosNode.READY_TIMEOUT);
      }
      for (int i = 0; i < nodes.size(); i++) {
        nodes.get(i).process().awaitPeers(i < manifest.validators() ? manifest.validators() - 1 : 1, Duration.ofSeconds(90));
      }
      out.printf(Locale.ROOT, "chaos event=started manifest=%s seed=%d validators=%d observers=%d faults=%d overlap-max=%d"
          + " duration-s=%.0f work=%s%n", manifest.name(), manifest.seed(), manifest.validators(), manifest.observers(),
          manifest.perturbations().size(), manifest.overlapMax(), manifest.durationSeconds(), work);

      History history = new History(System.nanoTime());
      Workload load = new Workload(nodes, signers(network, accounts), manifest.load(), history, manifest.seed(),
          manifest.blockPeriodMillis());
      FaultDriver faults = new FaultDriver(manifest.perturbations(), nodes, hosts,
          network.nodes().stream().map(GeneratedNetwork.Node::p2pPort).toList(), manifest.seed(), history, out);
      RecoveryMonitor recovery = new RecoveryMonitor(nodes, history, manifest.lastHealSeconds(), faults::allHealed);
      load.start();
      faults.start();
      recovery.start();
      try {
        sleepUntil(history, manifest.durationSeconds());
        faults.await();
        // The load goes on until every node has shown recovery or the bound has passed.
        recovery.awaitRecovered(manifest.healBoundSeconds());
      } finally {
        faults.stop();
        load.stop();
        recovery.stop();
      }
      history.write(work.resolve("history.log"));
      long height = converge(nodes);
      Map<String, List<BlockTxIds>> chains = new LinkedHashMap<>();
      Map<String, Map<String, Long>> balances = new LinkedHashMap<>();
      for (ChaosNode n : nodes) {
        RpcClient rpc = new RpcClient(n.process().rpcUrl(), Duration.ofSeconds(30), 64 * 1024 * 1024);
        long head = rpc.blockNumber();
        List<BlockTxIds> blocks = new ArrayList<>();
        for (long from = 1; from <= head; from += 200) {
          blocks.addAll(rpc.getBlockTxIds(from, Math.min(head, from + 199)));
        }
        chains.put(n.name(), blocks);
        Map<String, Long> b = new LinkedHashMap<>();
        for (AccountInfo info : rpc.getAccounts(accounts.stream().map(KeyPair::address).toList())) {
          b.put(info.address(), info.balance());
        }
        balances.put(n.name(), b);
      }
      for (ChaosNode n : nodes) {
        n.terminate();
      }
      Map<String, String> storeErrors = new LinkedHashMap<>();
      for (ChaosNode n : nodes) {
        storeErrors.put(n.name(), verifyChain(n));
      }
      long[] window = history.faultWindowMillis();
      List<HistoryChecker.Violation> violations = HistoryChecker.check(history, new HistoryChecker.Observed(chains,
          balances, ChaosNetwork.ACCOUNT_BALANCE * accounts.size(), recovery.recoverySeconds(), manifest.healBoundSeconds(),
          storeErrors));
      Result result = new Result(manifest, violations, history.count(History.Submitted.class), load.finals(),
          load.resends(), history.count(History.Read.class), height, recovery.recoverySeconds(),
          faults.catchUpSeconds(), (System.nanoTime() - wallStart) / 1e9, work, history.finalityMillis(),
          history.finalsByKind(), chains.values().stream().flatMap(List::stream).mapToInt(b -> b.txIds().size()).max()
              .orElse(0), load.heldBack(), window == null ? 0 : (window[1] - window[0]) / 1000.0,
          window == null ? 0 : history.finalsBetween(window[0], window[1]));
      report(result);
      return result;
    } finally {
      for (ChaosNode n : nodes) {
        n.process().stop();
      }
      if (hosts != null) {
        hosts.close();
      }
      for (Path mount : mounts) {
        try {
          mustRun(List.of("umount", mount.toString()));
        } catch (IllegalStateException e) {
          out.println("chaos event=umount-failed dir=" + mount + " error=\"" + e.getMessage() + "\"");
        }
      }
    }
  }

  /** The load's signers: the campaign accounts, and the generated network's admin and validator keys. */
  private Workload.Signers signers(GeneratedNetwork network, List<KeyPair> accounts) {
    KeyPair admin = KeyFiles.readNodeKey(work.resolve("net").resolve(NetworkGenerator.DEV_ACCOUNT_KEY_FILE));
    List<KeyPair> validators = network.nodes().stream().filter(n -> n.index() < manifest.validators())
        .map(n -> KeyFiles.readNodeKey(n.dir().resolve(NetworkGenerator.NODE_KEY_FILE))).toList();
    return new Workload.Signers(accounts, admin, validators,
        manifest.observers() > 0 ? network.nodes().get(manifest.validators()).publicKey() : null);
  }

  private static void mustRun(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ": " + output
          + (command.get(0).equals("mount") ? " (disk-mib needs root)" : ""));
    }
  }

  /** Waits until every node reports the same head, and returns it (the lowest head if they never agree). */
  private static long converge(List<ChaosNode> nodes) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONVERGE_MILLIS_MAX);
    long lowest = 0;
    while (System.nanoTime() < deadline) {
      long low = Long.MAX_VALUE;
      long high = Long.MIN_VALUE;
      for (ChaosNode n : nodes) {
        try {
          long h = n.call(RpcClient::blockNumber);
          low = Math.min(low, h);
          high = Math.max(high, h);
        } catch (RpcException e) {
          low = -1;
        }
      }
      lowest = low;
      // Empty blocks keep coming, so "the same head" is within one block period or two.
      if (low >= 0 && high - low <= 2) {
        return high;
      }
      Thread.sleep(250);
    }
    return lowest;
  }

  private String verifyChain(ChaosNode node) throws InterruptedException {
    List<String> command = new ArrayList<>(NodeJvm.command(NODE_JVM_OPTIONS));
    command.addAll(List.of("verify-chain", "--data-dir", node.dataDir().toString()));
    Path log = node.dataDir().getParent().resolve("verify-chain.log");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        return "verify-chain did not finish in 5 minutes";
      }
      if (p.exitValue() == 0) {
        return null;
      }
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "exit " + p.exitValue() + ": " + (lines.isEmpty() ? "" : lines.getLast());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run verify-chain on " + node.dataDir(), e);
    }
  }

  private void report(Result r) {
    double[] rec = r.recoverySeconds().values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double[] catchUp = r.catchUpSeconds().stream().mapToDouble(Double::doubleValue).sorted().toArray();
    out.printf(Locale.ROOT, "chaos event=checked manifest=%s seed=%d height=%d submitted=%d final=%d resent=%d reads=%d"
        + " recovery-max-s=%.1f catch-up-p50-s=%.1f catch-up-max-s=%.1f violations=%d wall-s=%.0f%n", r.manifest().name(),
        r.manifest().seed(), r.height(), r.submitted(), r.finals(), r.resends(), r.reads(),
        rec.length == 0 ? 0 : rec[rec.length - 1], catchUp.length == 0 ? 0 : catchUp[catchUp.length / 2],
        catchUp.length == 0 ? 0 : catchUp[catchUp.length - 1], r.violations().size(), r.wallSeconds());
    long[] latency = r.finalityMillis();
    Manifest.Load load = r.manifest().load();
    out.printf(Locale.ROOT, "chaos event=load manifest=%s offered-per-s=%.1f in-flight-per-sender=%d final-per-s=%.1f"
        + " fault-window-s=%.1f fault-window-final-per-s=%.1f held-back=%d finality-p50-ms=%d finality-p99-ms=%d"
        + " finality-max-ms=%d block-txs-max=%d final-by-kind=%s%n", r.manifest().name(),
        load.transfersPerSecond() + load.recordsPerSecond(), load.inFlightPerSender(),
        r.finals() / r.manifest().durationSeconds(), r.faultWindowSeconds(),
        r.faultWindowSeconds() > 0 ? r.faultWindowFinals() / r.faultWindowSeconds() : 0, r.heldBack(),
        percentile(latency, 0.50), percentile(latency, 0.99),
        latency.length == 0 ? 0 : latency[latency.length - 1], r.blockTxsMax(), r.finalsByKind());
    if (!r.clean()) {
      out.println("chaos VIOLATIONS in manifest " + r.manifest().name() + " (seed " + r.manifest().seed() + "); work dir "
          + r.workDir() + "; manifest:");
      r.manifest().toToml().lines().forEach(l -> out.println("  | " + l));
      for (HistoryChecker.Violation v : r.violations()) {
        out.println("  violation invariant=" + v.invariant() + " " + v.detail());
        v.excerpt().forEach(l -> out.println("    " + l));
      }
    }
  }

  private static long percentile(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }

  private static void sleepUntil(History history, double seconds) throws InterruptedException {
    long wait = (long) (seconds * 1000) - history.now();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }
}
