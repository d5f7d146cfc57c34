package dev.cairn.tools.testnet;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One node's Prometheus scrape and readiness probe, and the series the repository's Grafana dashboard queries. */
record MetricsScrape(String text) {
  static final Path DASHBOARD = Path.of("..", "docs", "monitoring", "cairn-dashboard.json");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static MetricsScrape of(int metricsPort) throws IOException, InterruptedException {
    HttpResponse<String> response = get(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"));
    if (response.statusCode() != 200) {
      throw new IllegalStateException("scrape of port " + metricsPort + " answered " + response.statusCode());
    }
    return new MetricsScrape(response.body());
  }

  /** The readiness probe's status code, or -1 when the node did not answer. */
  static int readiness(int rpcPort) {
    try {
      return get(URI.create("http://127.0.0.1:" + rpcPort + "/readiness")).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Metric family names (from the {@code # TYPE} lines). */
  Set<String> families() {
    Set<String> out = new TreeSet<>();
    text.lines().filter(l -> l.startsWith("# TYPE ")).forEach(l -> out.add(l.split(" ")[2]));
    return out;
  }

  long cairnFamilies() {
    return families().stream().filter(f -> f.startsWith("cairn_")).count();
  }

  /** Names of the series in the scrape (a histogram's _bucket, _sum and _count apart). */
  Set<String> series() {
    Set<String> out = new TreeSet<>();
    text.lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(l -> out.add(l.split("[{ ]", 2)[0]));
    return out;
  }

  /** The series names in the dashboard's PromQL expressions. */
  static Set<String> dashboardSeries() throws IOException {
    Set<String> names = new TreeSet<>();
    Pattern metric = Pattern.compile("\\b((?:cairn|jvm|process)_[a-z0-9_]+)");
    new ObjectMapper().readTree(DASHBOARD.toFile()).get("panels").forEach(panel -> panel.path("targets").forEach(target -> {
      Matcher m = metric.matcher(target.get("expr").asText());
      while (m.find()) {
        names.add(m.group(1));
      }
    }));
    return names;
  }
}
