package dev.cairn.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.network.GeneratedNetwork;
import dev.cairn.genesis.network.NetworkGenerator;
import dev.cairn.genesis.network.NetworkSpec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.node.Node;
import dev.cairn.node.config.ConfigLoader;
import dev.cairn.node.config.NodeConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's monitoring surface on real nodes in this JVM, over real HTTP: a validator and an observer
 * with metrics enabled. The observer starts while the validator is down, so its readiness is 503 (no peer);
 * the validator comes back, the observer syncs the blocks it missed and readiness turns 200. Both nodes'
 * {@code /metrics} hold at least 40 {@code cairn_} families, and every series the Grafana dashboard in
 * docs/monitoring queries is in the validator's scrape.
 */
class MonitoringIT {
  static final Path DASHBOARD = Path.of("..", "docs", "monitoring", "cairn-dashboard.json");
  private static final Duration STEP = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  @Test
  @Timeout(300)
  void readinessTurnsReadyWhenAnObserverHasSyncedAndEveryDashboardSeriesIsScraped() throws Exception {
    int p2pBase = freePorts(2);
    ConsensusParameters d = ConsensusParameters.DEFAULTS;
    NetworkSpec spec = new NetworkSpec(1, 1, "cairn-monitoring", System.currentTimeMillis(),
        new ConsensusParameters(100, d.roundTimeoutMillis(), d.roundTimeoutMillisMax(), d.blockTxsMax(), d.blockBytesMax(), true),
        p2pBase, p2pBase + 10, NetworkSpec.DEFAULT_DEV_BALANCE); // RPC and metrics ports are set to 0 below
    GeneratedNetwork network = new NetworkGenerator(KeyPair::generate).generate(spec, dir);
    NodeConfig validatorConfig = config(network.nodes().get(0));
    NodeConfig observerConfig = config(network.nodes().get(1));

    long heightBeforeObserver;
    try (Node validator = Node.start(validatorConfig)) {
      await("the validator finalizes 30 blocks", () -> validator.headHeight() >= 30);
      heightBeforeObserver = validator.headHeight();
    }

    try (Node observer = Node.start(observerConfig)) {
      HttpResponse<String> alone = get(observer.rpcPort(), "/readiness");
      assertThat(alone.statusCode()).as(alone.body()).isEqualTo(503);
      assertThat(JSON.readTree(alone.body()).get("peers").asInt()).isZero();
      assertThat(get(observer.rpcPort(), "/liveness").statusCode()).isEqualTo(200);

      try (Node validator = Node.start(validatorConfig)) {
        await("the observer is ready (a peer, at most 2 blocks behind)", () -> status(observer.rpcPort(), "/readiness") == 200);
        JsonNode ready = JSON.readTree(get(observer.rpcPort(), "/readiness").body());
        assertThat(ready.get("peers").asInt()).isEqualTo(1);
        assertThat(ready.get("blocksBehind").asLong()).isLessThanOrEqualTo(2);
        assertThat(observer.headHeight()).isGreaterThanOrEqualTo(heightBeforeObserver);
        assertThat(get(observer.rpcPort(), "/readiness?maxBlocksBehind=x").statusCode()).isEqualTo(400);

        for (int i = 0; i < 5; i++) {
          rpc(validator.rpcPort(), "cairn_blockNumber");
          rpc(validator.rpcPort(), "cairn_noSuchMethod");
        }
        await("the observer's peer shows in its metrics",
            () -> scrape(observer.metricsPort()).contains("cairn_p2p_peers{role=\"validator\"} 1.0"));

        String validatorScrape = scrape(validator.metricsPort());
        Files.writeString(Path.of("target", "monitoring-it-validator.prom"), validatorScrape);
        Set<String> families = families(validatorScrape);
        assertThat(families.stream().filter(f -> f.startsWith("cairn_")).count())
            .as("cairn_ families of the validator: %s", families).isGreaterThanOrEqualTo(40);
        assertThat(families(scrape(observer.metricsPort())).stream().filter(f -> f.startsWith("cairn_")).count())
            .isGreaterThanOrEqualTo(40);
        assertThat(families).contains("jvm_memory_used_bytes", "process_cpu_seconds_total");

        Set<String> queried = dashboardSeries();
        assertThat(queried).as("series the dashboard queries").hasSizeGreaterThan(30);
        Set<String> series = seriesNames(validatorScrape);
        assertThat(series).as("every series the dashboard queries is scraped").containsAll(queried);
        assertThat(validatorScrape).contains("cairn_rpc_requests_total{method=\"cairn_blockNumber\"} 5.0",
            "cairn_rpc_errors_total{code=\"-32601\"} 5.0");
      }
    }
  }

  private NodeConfig config(GeneratedNetwork.Node node) throws Exception {
    Path file = node.dir().resolve("config.toml");
    return ConfigLoader.defaults().withFile(file)
        .with("rpc.port", "0")
        .with("metrics.enabled", "true")
        .with("metrics.port", "0")
        .build(file.getParent());
  }

  /** The series names the dashboard's PromQL expressions select (Grafana's template variables aside). */
  static Set<String> dashboardSeries() throws IOException {
    Set<String> names = new TreeSet<>();
    Pattern metric = Pattern.compile("\\b((?:cairn|jvm|process)_[a-z0-9_]+)");
    List<JsonNode> targets = new ArrayList<>();
    JSON.readTree(DASHBOARD.toFile()).get("panels").forEach(panel -> panel.path("targets").forEach(targets::add));
    for (JsonNode target : targets) {
      Matcher m = metric.matcher(target.get("expr").asText());
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  static Set<String> families(String scrape) {
    Set<String> out = new TreeSet<>();
    scrape.lines().filter(l -> l.startsWith("# TYPE ")).forEach(l -> out.add(l.split(" ")[2]));
    return out;
  }

  static Set<String> seriesNames(String scrape) {
    Set<String> out = new TreeSet<>();
    scrape.lines().filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .forEach(l -> out.add(l.split("[{ ]", 2)[0]));
    return out;
  }

  private String scrape(int port) {
    HttpResponse<String> response = get(port, "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private int status(int port, String path) {
    return get(port, path).statusCode();
  }

  private HttpResponse<String> get(int port, String path) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build());
  }

  private void rpc(int port, String method) {
    send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\"}")).build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + STEP.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting: " + what);
      }
      Thread.sleep(100);
    }
  }

  private static int freePorts(int count) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20_000 + (int) (Math.random() * 30_000);
      if (allFree(base, count)) {
        return base;
      }
    }
    throw new IllegalStateException("no free port range");
  }

  private static boolean allFree(int base, int count) {
    for (int port = base; port < base + count; port++) {
      try (ServerSocket socket = new ServerSocket(port)) {
        socket.setReuseAddress(true);
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}
