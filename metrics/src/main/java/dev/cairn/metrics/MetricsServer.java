package dev.cairn.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Prometheus text endpoint ({@code /metrics}) on its own listener, served by the client library's HTTP
 * server on one thread: scrapes come a few times a minute, and one thread means a flood of requests to this
 * port queues instead of multiplying the work (the port belongs on a monitoring network anyway).
 */
public final class MetricsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
  public static final String PATH = "/metrics";
  /** Scrapes waiting for the serving thread before further connections are refused. */
  static final int QUEUED_SCRAPES_MAX = 16;

  private final HTTPServer server;

  private MetricsServer(HTTPServer server) {
    this.server = server;
  }

  /** Binds {@code host:port} (0: any free port) and serves {@code registry}. */
  public static MetricsServer start(String host, int port, PrometheusRegistry registry) {
    ExecutorService executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(QUEUED_SCRAPES_MAX), r -> {
          Thread t = new Thread(r, "metrics-http");
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.DiscardPolicy());
    try {
      HTTPServer server = HTTPServer.builder().hostname(host).port(port).registry(registry)
          .executorService(executor).metricsHandlerPath(PATH).buildAndStart();
      log.info("event=metrics_listening host={} port={} path={}", host, server.getPort(), PATH);
      return new MetricsServer(server);
    } catch (IOException e) {
      executor.shutdownNow();
      throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage()
          + " (set metrics.host and metrics.port)", e);
    }
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
