package dev.cairn.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.rpc.client.RpcClient;
import dev.cairn.tools.netns.NetnsBridge;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The release archive as an operator uses it: unpacked into an empty directory, {@code bin/cairn genesis
 * new-network --hosts} writes one node directory per host, and each of four validators runs from the unpacked
 * {@code bin/cairn} in its own network namespace (its own address, the standard ports), as on four machines.
 * The generated configs are used as written: no editing. The wallet from the archive sends a transfer that
 * every node finalizes; each node answers readiness 200 and a Prometheus scrape of at least 40 {@code cairn_}
 * families on its own address. Needs root and iproute2, which CI has: a machine without them fails here rather than
 * skipping, since this is the only test of the distribution.
 */
class DistributionIT {
  private static final int VALIDATORS = 4;
  private static final int RPC_PORT = 8545;
  private static final long STEP_TIMEOUT_MILLIS = 90_000;
  private static final long COMMAND_TIMEOUT_MILLIS = 120_000;

  private static NetnsBridge bridge;
  private static final List<Process> nodes = new ArrayList<>();

  @BeforeAll
  static void createNamespaces() {
    String unavailable = NetnsBridge.unavailableReason();
    assertThat(unavailable).as("DistributionIT needs root and iproute2 network namespaces").isNull();
    bridge = NetnsBridge.create(VALIDATORS);
  }

  @AfterAll
  static void stopAndDelete() throws InterruptedException {
    for (Process p : nodes) {
      p.destroy();
    }
    for (Process p : nodes) {
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    if (bridge != null) {
      bridge.close();
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aNetworkOfFourHostsRunsFromTheUnpackedArchive() throws Exception {
    Path work = Path.of("target", "dist-it").toAbsolutePath();
    deleteRecursively(work);
    Files.createDirectories(work);
    Path archive = Path.of(System.getProperty("cairn.dist.archive", "target/missing.tar.gz"));
    assertThat(archive).as("the distribution archive built in the package phase").isRegularFile();
    mustRun(work, List.of("tar", "-xzf", archive.toString(), "-C", work.toString()));
    Path home;
    try (var entries = Files.list(work)) {
      home = entries.filter(p -> p.getFileName().toString().startsWith("cairn-")).findFirst().orElseThrow();
    }
    for (String file : List.of("bin/cairn", "bin/wallet", "lib/cairn-node.jar", "lib/cairn-wallet.jar",
        "systemd/cairn.service", "completion/cairn.bash", "completion/wallet.bash", "config/cairn.example.toml",
        "docs/operations.md")) {
      assertThat(home.resolve(file)).as("archive holds %s", file).exists();
    }
    assertThat(Files.readString(home.resolve("completion/cairn.bash"))).contains("genesis").contains("verify-chain");
    assertThat(mustRun(work, List.of(home.resolve("bin/cairn").toString(), "--version"))).startsWith("cairn ");

    List<String> hosts = new ArrayList<>();
    for (int i = 0; i < VALIDATORS; i++) {
      hosts.add(bridge.address(i));
    }
    Path net = work.resolve("net");
    mustRun(work, List.of(home.resolve("bin/cairn").toString(), "genesis", "new-network", "--validators", "4",
        "--chain-id", "dist-it", "--out", net.toString(), "--hosts", String.join(",", hosts), "--rpc-public",
        "--block-period-ms", "500"));

    List<RpcClient> rpc = new ArrayList<>();
    for (int i = 0; i < VALIDATORS; i++) {
      Path nodeDir = net.resolve("node-" + i);
      // Each host gets only its own directory, as an operator would copy it.
      Path hostDir = work.resolve("host-" + i);
      copyTree(nodeDir, hostDir);
      List<String> command = new ArrayList<>(bridge.exec(i));
      // The generated config is used as written; metrics (off by default) are switched on by flag, as an operator would.
      command.addAll(List.of(home.resolve("bin/cairn").toString(), "run", "--config", hostDir.resolve("config.toml").toString(),
          "--set", "metrics.enabled=true"));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(hostDir.resolve("node.log").toFile()));
      builder.environment().put("CAIRN_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
      // Four nodes on one machine: 256 MiB is below the default bounds' worst case, so the heap check only warns.
      builder.environment().put("CAIRN_HEAP_CHECK", "warn");
      nodes.add(builder.start());
      rpc.add(new RpcClient(URI.create("http://" + hosts.get(i) + ":" + RPC_PORT), Duration.ofSeconds(5)));
    }
    awaitTrue("every node reaches height 3 and sees the other three", () -> {
      for (RpcClient client : rpc) {
        if (client.blockNumber() < 3 || client.nodeInfo().peerCount() < VALIDATORS - 1) {
          return false;
        }
      }
      return true;
    });

    // The archive's wallet: import the dev key, send a transfer through node-1, read it back at node-3.
    Path walletDir = work.resolve("wallet");
    Map<String, String> walletEnv = Map.of("CAIRN_WALLET_DIR", walletDir.toString(), "CAIRN_WALLET_PASSWORD", "dist-it");
    mustRun(work, walletEnv, List.of(home.resolve("bin/wallet").toString(), "import", "--key-file",
        net.resolve("dev-account.key").toString()));
    String recipient = KeyPair.generate().address().toText();
    String receipt = mustRun(work, walletEnv, List.of(home.resolve("bin/wallet").toString(), "transfer", "--to", recipient,
        "--amount", "7", "--wait", "--json", "--rpc", "http://" + hosts.get(1) + ":" + RPC_PORT));
    assertThat(receipt).contains("\"success\"");
    String balance = mustRun(work, walletEnv, List.of(home.resolve("bin/wallet").toString(), "balance", recipient,
        "--rpc", "http://" + hosts.get(3) + ":" + RPC_PORT));
    assertThat(balance).contains("7");

    // Each host's monitoring surface: readiness on the RPC port, Prometheus text on the metrics port (RPC + 1000).
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    for (String host : hosts) {
      HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + RPC_PORT + "/readiness"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).as("readiness of %s: %s", host, ready.body()).isEqualTo(200);
      HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + (RPC_PORT + 1000) + "/metrics"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(scrape.statusCode()).isEqualTo(200);
      long families = scrape.body().lines().filter(l -> l.startsWith("# TYPE cairn_")).count();
      assertThat(families).as("cairn_ metric families scraped from %s", host).isGreaterThanOrEqualTo(40);
      assertThat(scrape.body()).contains("cairn_consensus_height");
    }

    long common = rpc.stream().mapToLong(RpcClient::blockNumber).min().orElseThrow();
    for (long h = 1; h <= common; h++) {
      Set<String> hashes = new HashSet<>();
      for (RpcClient client : rpc) {
        hashes.add(client.getBlockTxIds(h).orElseThrow().hash());
      }
      assertThat(hashes).as("block hashes at height %d", h).hasSize(1);
    }
  }

  private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + STEP_TIMEOUT_MILLIS;
    Throwable last = null;
    while (System.currentTimeMillis() < deadline) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        last = e;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("timed out waiting until " + what + (last == null ? "" : " (last error: " + last + ")"));
  }

  private static String mustRun(Path dir, List<String> command) throws IOException, InterruptedException {
    return mustRun(dir, Map.of(), command);
  }

  private static String mustRun(Path dir, Map<String, String> env, List<String> command)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process p = builder.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(COMMAND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " timed out");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("%s exit code; output:%n%s", String.join(" ", command), text).isZero();
    return text;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path p : paths.collect(Collectors.toList())) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).collect(Collectors.toList())) {
        Files.delete(p);
      }
    }
  }
}
