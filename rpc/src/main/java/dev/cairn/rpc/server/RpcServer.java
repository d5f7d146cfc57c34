package dev.cairn.rpc.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.rpc.ChainEvents;
import dev.cairn.rpc.ChainView;
import dev.cairn.rpc.NodeHealth;
import dev.cairn.rpc.NodeStatus;
import dev.cairn.rpc.RpcConfig;
import dev.cairn.rpc.RpcObserver;
import dev.cairn.rpc.TransactionSubmitter;
import dev.cairn.rpc.admin.AdminMethods;
import dev.cairn.rpc.admin.NodeAdmin;
import dev.cairn.rpc.auth.Authentication;
import dev.cairn.rpc.auth.RpcAuth;
import dev.cairn.rpc.jsonrpc.ClientRateLimits;
import dev.cairn.rpc.jsonrpc.ErrorCode;
import dev.cairn.rpc.jsonrpc.Json;
import dev.cairn.rpc.jsonrpc.JsonRpcProcessor;
import dev.cairn.rpc.jsonrpc.MethodLookup;
import dev.cairn.rpc.jsonrpc.MethodSpec;
import dev.cairn.rpc.jsonrpc.OpenRpcDocument;
import dev.cairn.rpc.jsonrpc.Params;
import dev.cairn.rpc.jsonrpc.RpcMethod;
import dev.cairn.rpc.methods.CairnMethodSpecs;
import dev.cairn.rpc.methods.CairnMethods;
import dev.cairn.rpc.methods.ShapeSchemas;
import dev.cairn.rpc.tls.TlsConnector;
import dev.cairn.rpc.ws.WebSocketEndpoint;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON-RPC endpoint: HTTP POST at {@code /} and WebSocket at {@link RpcConfig#WS_PATH}, on one port,
 * with the health probes of {@link HealthRoutes} beside them (never behind authentication).
 * Construct, {@link #start()}, {@link #stop()}; a server is started at most once. With {@link RpcSecurity}
 * the port speaks TLS and every call needs a bearer token ({@code POST /login} issues them); the {@code
 * admin_} namespace exists only when the node hands in a {@link NodeAdmin}.
 */
public final class RpcServer {
  private static final Logger LOG = LoggerFactory.getLogger(RpcServer.class);
  private static final String JSON = "application/json";
  private static final long DRAIN_POLL_MILLIS = 10;
  /** The version of the API the document describes: bumped when a method, param, shape or error changes. */
  public static final OpenRpcDocument.Info API = new OpenRpcDocument.Info("Cairn JSON-RPC", "0.2.1",
      "JSON-RPC 2.0 of a Cairn node over HTTP (POST /) and WebSocket (" + RpcConfig.WS_PATH + "). Hashes, keys, "
          + "signatures and bytes are 0x-hex; addresses Bech32m ('cairn1...'); amounts and balances decimal strings; "
          + "heights, nonces and indices JSON numbers. Params may be given by position or by name. Every error code "
          + "is under components/errors; x-cairn-request-errors are about a request body as a whole; x-cairn-limits "
          + "are this server's limits. With authentication on, every request carries 'Authorization: Bearer TOKEN' "
          + "(x-cairn-login issues tokens) and every call needs a permission for its method. admin_* methods are "
          + "listed only by a node that enables them. The guide is docs/json-rpc.md.");
  /** Where a user name and password are exchanged for a token (only with a credentials file). */
  public static final String LOGIN_PATH = OpenRpcDocument.LOGIN_PATH;

  private final RpcConfig config;
  private final ChainEvents events;
  private final JsonRpcProcessor processor;
  private final MethodLookup methods;
  private final ClientRateLimits rateLimits;
  private final WebSocketEndpoint webSocket;
  private final ObjectNode discoverDocument;
  private final Set<String> httpMethodNames;
  private final Set<String> webSocketMethodNames;
  private final HealthRoutes health;
  private final RpcAuth auth;
  private final Optional<TlsConnector> tls;
  private final RpcSecurity security;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong answersAbandoned = new AtomicLong();
  /** Closes HTTP connections whose client has not read its answer within answerWriteTimeoutMillis. */
  private final ScheduledThreadPoolExecutor writeDeadlines = new ScheduledThreadPoolExecutor(1, r -> {
    Thread thread = new Thread(r, "rpc-answer-write-deadlines");
    thread.setDaemon(true);
    return thread;
  });
  private final List<GetRoute> getRoutes = new ArrayList<>();
  private volatile boolean accepting;
  private Javalin app;
  private ChainEvents.Listening listening;

  public RpcServer(RpcConfig config, ChainView chain, TransactionSubmitter submitter, NodeStatus status,
      ChainEvents events) {
    this(config, RpcSecurity.none(), chain, submitter, status, events, Optional.empty());
  }

  /** Without metrics: health facts from what the RPC already reads. */
  public RpcServer(RpcConfig config, RpcSecurity security, ChainView chain, TransactionSubmitter submitter,
      NodeStatus status, ChainEvents events, Optional<NodeAdmin> admin) {
    this(config, security, chain, submitter, status, events, admin, RpcObserver.NONE, healthOf(chain, status));
  }

  /**
   * @param security authentication and TLS; the files it names are read and checked here (a bad one throws
   *     {@link IllegalArgumentException} naming it)
   * @param admin the node's administration port; empty leaves the {@code admin_} namespace out entirely
   * @param observer told about every call, for metrics
   * @param health what {@code /liveness} and {@code /readiness} answer from ({@link HealthRoutes})
   */
  public RpcServer(RpcConfig config, RpcSecurity security, ChainView chain, TransactionSubmitter submitter,
      NodeStatus status, ChainEvents events, Optional<NodeAdmin> admin, RpcObserver observer, NodeHealth health) {
    this.config = config;
    this.security = security;
    this.events = events;
    this.health = new HealthRoutes(health);
    this.processor = new JsonRpcProcessor(config, observer);
    writeDeadlines.setRemoveOnCancelPolicy(true); // most deadlines are cancelled at once
    this.rateLimits = new ClientRateLimits(config.requestsPerSecondPerIp(), config.requestBurstMax(),
        config.rateLimitedIpsTrackedMax(), System::nanoTime);
    this.auth = new RpcAuth(security.auth(), Clock.systemUTC());
    this.tls = security.tls().map(TlsConnector::new);
    List<RpcMethod> shared = new ArrayList<>(new CairnMethods(chain, submitter, status, config).all());
    admin.ifPresent(port -> shared.addAll(new AdminMethods(port).all()));
    // Answers the document built below from these very lists; no call runs before the constructor returns.
    shared.add(new RpcMethod(OpenRpcDocument.discoverSpec(API), this::discover));
    this.webSocket = new WebSocketEndpoint(config, processor, MethodLookup.of(shared), rateLimits, chain, auth);
    List<MethodSpec> webSocketOnly = webSocket.connectionMethodSpecs();
    List<RpcMethod> http = new ArrayList<>(shared);
    for (MethodSpec spec : webSocketOnly) {
      http.add(RpcMethod.unavailable(spec, ErrorCode.WEBSOCKET_ONLY, CairnMethodSpecs.webSocketOnlyDetail()));
    }
    this.methods = MethodLookup.of(http);
    this.httpMethodNames = http.stream().map(RpcMethod::name).collect(Collectors.toUnmodifiableSet());
    this.webSocketMethodNames = Stream.concat(shared.stream().map(RpcMethod::name), webSocketOnly.stream().map(MethodSpec::name))
        .collect(Collectors.toUnmodifiableSet());
    this.discoverDocument = OpenRpcDocument.build(API, config, shared.stream().map(RpcMethod::spec).toList(),
        webSocketOnly, ShapeSchemas.all());
  }

  private JsonNode discover(Params params) {
    return discoverDocument.deepCopy();
  }

  /** The OpenRPC document {@code rpc.discover} answers (a copy). */
  public ObjectNode discoverDocument() {
    return discoverDocument.deepCopy();
  }

  /** Every method name the HTTP endpoint dispatches (WebSocket-only ones answer -32045 there). */
  public Set<String> httpMethodNames() {
    return httpMethodNames;
  }

  /** Every method name a WebSocket connection dispatches. */
  public Set<String> webSocketMethodNames() {
    return webSocketMethodNames;
  }

  /** Health facts from what the RPC already reads: peers and sync state from the status, the head from the chain. */
  private static NodeHealth healthOf(ChainView chain, NodeStatus status) {
    return () -> {
      long behind = status.syncState() instanceof NodeStatus.SyncState.Syncing s ? s.highestHeight() - s.currentHeight() : 0;
      return new NodeHealth.Facts(true, status.info().peerCount(), chain.headHeight(), behind, java.util.Optional.empty());
    };
  }

  /** A GET route served beside JSON-RPC on the same listener, e.g. the explorer's static pages. */
  private record GetRoute(String path, io.javalin.http.Handler handler) {}

  /**
   * Serves GET {@code path} (Javalin path syntax, e.g. {@code /explorer/<file>}) on this listener; call before
   * {@link #start()}. The handler sets its own status, headers and body.
   */
  public synchronized void addGetRoute(String path, io.javalin.http.Handler handler) {
    if (app != null) {
      throw new IllegalStateException("routes are added before start()");
    }
    getRoutes.add(new GetRoute(path, handler));
  }

  /**
   * Lets a page served by this listener open the WebSocket: a handshake whose Origin is this server's own
   * ({@code http(s)://} + the Host it was asked under) passes even when not on {@link RpcConfig#wsAllowedOrigins}.
   * Such a page can already POST JSON-RPC to us without CORS, so this opens nothing new.
   */
  public void allowSameOriginWebSockets() {
    webSocket.allowSameOrigin();
  }

  /** Binds and starts serving; returns the bound port (the OS-assigned one when the config says 0). */
  public synchronized int start() {
    if (app != null) {
      throw new IllegalStateException("rpc server already started");
    }
    app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.startupWatcherEnabled = false;
      cfg.http.maxRequestSize = config.requestBodyBytesMax();
      tls.ifPresent(connector ->
          cfg.jetty.addConnector((server, http) -> connector.connector(server, http, config.host(), config.port())));
      cfg.jetty.modifyWebSocketServletFactory(factory -> {
        factory.setMaxTextMessageSize(config.requestBodyBytesMax());
        factory.setMaxBinaryMessageSize(1024);
        factory.setIdleTimeout(java.time.Duration.ofMillis(config.wsIdleTimeoutMillis()));
      });
      cfg.router.mount(router -> {
        router.post("/", this::handlePost);
        health.register(router);
        router.wsBeforeUpgrade(RpcConfig.WS_PATH, webSocket::checkUpgrade);
        router.ws(RpcConfig.WS_PATH, webSocket::configure);
        if (auth.enabled()) {
          LoginRoute login = new LoginRoute(auth);
          router.post(LOGIN_PATH, login::handle);
        }
        for (GetRoute route : getRoutes) {
          router.get(route.path(), route.handler());
        }
        if (!config.corsAllowedOrigins().isEmpty()) {
          router.before("/", this::cors);
          router.options("/", ctx -> ctx.status(204));
          router.before(LOGIN_PATH, this::cors);
          router.options(LOGIN_PATH, ctx -> ctx.status(204));
        }
        router.exception(Exception.class, (e, ctx) -> {
          LOG.warn("rpc http handler threw path={}", ctx.path(), e);
          reply(ctx, 500, JsonRpcProcessor.error(NullNode.instance, ErrorCode.INTERNAL_ERROR, "", null));
        });
      });
    });
    try {
      if (tls.isPresent()) {
        app.start(); // the HTTPS connector added above is the only one
      } else {
        app.start(config.host(), config.port());
      }
    } catch (RuntimeException e) {
      app = null; // not started: start() may be retried, stop() has nothing to do
      throw e;
    }
    listening = events.onBlockFinalized(webSocket::onBlockFinalized);
    accepting = true;
    LOG.info("rpc listening host={} port={} ws={} tls={} client_certificates={} auth={} cors_origins={} ws_origins={}",
        config.host(), app.port(), RpcConfig.WS_PATH, tls.isPresent(),
        security.tls().map(t -> t.clientAuthentication()).orElse(false), auth.enabled(),
        config.corsAllowedOrigins().size(), config.wsAllowedOrigins().size());
    warnIfExposed();
    return app.port();
  }

  /**
   * Stops accepting calls (new ones get HTTP 503), waits up to {@code drainTimeoutMillis} for calls in
   * flight to finish, closes WebSocket connections with "going away", then stops the HTTP server.
   */
  public synchronized void stop() {
    if (app == null) {
      return;
    }
    accepting = false;
    listening.close();
    long deadline = System.nanoTime() + config.drainTimeoutMillis() * 1_000_000;
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(DRAIN_POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (inFlight.get() > 0) {
      LOG.warn("rpc stopping with calls in flight inFlight={}", inFlight.get());
    }
    webSocket.stop();
    app.stop();
    writeDeadlines.shutdownNow();
    LOG.info("rpc stopped");
  }

  private void handlePost(Context ctx) {
    if (!accepting) {
      reply(ctx, 503, JsonRpcProcessor.error(NullNode.instance, ErrorCode.SHUTTING_DOWN, "", null));
      return;
    }
    Authentication authentication = auth.authenticate(ctx.header("Authorization"));
    if (authentication instanceof Authentication.Refused refused) {
      // Refused before the body is read: an anonymous client costs one header check.
      LOG.debug("rpc http refused remote={} code={}", ctx.ip(), refused.code().code());
      ctx.header("WWW-Authenticate", refused.code() == ErrorCode.UNAUTHENTICATED ? "Bearer" : "Bearer error=\"invalid_token\"");
      reply(ctx, 401, JsonRpcProcessor.error(NullNode.instance, refused.code(), refused.detail(), null));
      return;
    }
    Authentication.Accepted accepted = (Authentication.Accepted) authentication;
    inFlight.incrementAndGet();
    try {
      long declared = ctx.req().getContentLengthLong();
      byte[] body = declared > config.requestBodyBytesMax() ? null : readBounded(ctx.req().getInputStream());
      if (body == null) {
        reply(ctx, 413, JsonRpcProcessor.error(NullNode.instance, ErrorCode.REQUEST_TOO_LARGE,
            "body exceeds " + config.requestBodyBytesMax() + " bytes", null));
        return;
      }
      switch (processor.process(body, methods, rateLimits.bucketFor(ctx.ip()), accepted.caller(), ctx.ip())) {
        case JsonRpcProcessor.Reply.Answer a -> {
          // A large answer's permit is held until its bytes are written (or the deadline closes the connection).
          try {
            writeNow(ctx, status(a), a.json());
          } finally {
            a.release();
          }
        }
        case JsonRpcProcessor.Reply.Nothing n -> ctx.status(204);
      }
    } catch (IOException e) {
      LOG.debug("rpc body read or answer write failed remote={}", ctx.ip(), e);
      if (!ctx.res().isCommitted()) {
        reply(ctx, 400, JsonRpcProcessor.error(NullNode.instance, ErrorCode.PARSE_ERROR, "unreadable body", null));
      }
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** A single call refused for its permission is an HTTP 403, one refused as busy a 503; a batch mixes answers and stays 200. */
  private static int status(JsonRpcProcessor.Reply.Answer answer) {
    if (answer.rateLimited()) {
      return 429;
    }
    int code = answer.body().isObject() ? answer.body().path("error").path("code").asInt() : 0;
    return code == ErrorCode.PERMISSION_DENIED.code() ? 403 : code == ErrorCode.SERVER_BUSY.code() ? 503 : 200;
  }

  /**
   * Writes the answer to the socket before returning, so that a large answer's permit (and its bytes) is
   * held exactly as long as the write. A client that has not read it all within {@code answerWriteTimeoutMillis}
   * has its connection closed, which fails the blocked write: no client keeps a permit or a handler thread
   * longer than that, however slowly it reads.
   */
  private void writeNow(Context ctx, int status, Json.Written json) throws IOException {
    ctx.status(status).contentType(JSON);
    ctx.res().setContentLengthLong(json.size());
    long timeoutMillis = config.answerLimits().answerWriteTimeoutMillis();
    ScheduledFuture<?> deadline = writeDeadlines.schedule(() -> abandonUnread(ctx, json.size(), timeoutMillis),
        timeoutMillis, TimeUnit.MILLISECONDS);
    try {
      json.writeTo(ctx.res().getOutputStream());
      ctx.res().flushBuffer();
    } finally {
      deadline.cancel(false);
    }
  }

  /** Closes the connection of a client that did not read its answer in time; the blocked write then fails. */
  private void abandonUnread(Context ctx, long answerBytes, long timeoutMillis) {
    LOG.info("rpc http answer unread, connection closed remote={} answer_bytes={} write_timeout_ms={}",
        ctx.ip(), answerBytes, timeoutMillis);
    answersAbandoned.incrementAndGet();
    org.eclipse.jetty.server.Request request = org.eclipse.jetty.server.Request.getBaseRequest(ctx.req());
    if (request == null) {
      throw new IllegalStateException("an HTTP request not served by Jetty: its connection cannot be closed");
    }
    request.getHttpChannel().getEndPoint().close();
  }

  /** Reads at most the body limit; null if the body is longer (chunked bodies declare no length). */
  private byte[] readBounded(InputStream in) throws IOException {
    byte[] body = in.readNBytes(config.requestBodyBytesMax() + 1);
    return body.length > config.requestBodyBytesMax() ? null : body;
  }

  private void cors(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin == null) {
      return;
    }
    boolean any = config.corsAllowedOrigins().contains("*");
    if (any || config.corsAllowedOrigins().contains(origin)) {
      ctx.header("Access-Control-Allow-Origin", any ? "*" : origin);
      ctx.header("Vary", "Origin");
      ctx.header("Access-Control-Allow-Methods", "POST, OPTIONS");
      ctx.header("Access-Control-Allow-Headers", "Content-Type, Authorization");
      ctx.header("Access-Control-Max-Age", "600");
    }
  }

  /** Says so when the port is reachable from other hosts without the protection that makes that safe. */
  private void warnIfExposed() {
    boolean loopback;
    try {
      loopback = java.net.InetAddress.getByName(config.host()).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      loopback = false;
    }
    if (loopback) {
      return;
    }
    if (!auth.enabled()) {
      LOG.warn("rpc exposed without authentication host={} admin={}: anyone who reaches the port may call every method;"
          + " see rpc-auth in docs/operations.md", config.host(), methods.find("admin_peers").isPresent());
    } else if (tls.isEmpty()) {
      LOG.warn("rpc authentication without TLS host={}: passwords and tokens cross the network in clear; see rpc-tls",
          config.host());
    }
  }

  private static void reply(Context ctx, int status, JsonNode body) {
    try {
      ctx.status(status).contentType(JSON).result(Json.MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree built here must serialize", e);
    }
  }

  /** Live WebSocket connections (for metrics and tests). */
  public int webSocketConnections() {
    return webSocket.connectionCount();
  }

  /** Large answers refused with -32048 for want of a permit, HTTP and WebSocket (for metrics and tests). */
  public long largeAnswersRefusedBusy() {
    return processor.largeAnswers().refused();
  }

  /** Large-answer permits free right now: {@code largeAnswersMax} when none is being written (for metrics and tests). */
  public int largeAnswerPermitsAvailable() {
    return processor.largeAnswers().available();
  }

  /** HTTP connections closed because their client did not read its answer within the write timeout. */
  public long httpAnswersAbandoned() {
    return answersAbandoned.get();
  }

  /** Connections closed because their client stopped reading (for metrics and tests). */
  public long slowConsumersDisconnected() {
    return webSocket.slowConsumersDisconnected();
  }

  /** WebSocket handshakes refused for their Origin (for metrics and tests). */
  public long webSocketOriginsRefused() {
    return webSocket.refusedOrigins();
  }

  public int subscriptions() {
    return webSocket.subscriptionCount();
  }

  /** The most notification bytes queued unwritten on any one WebSocket connection right now. */
  public long webSocketQueuedBytesMax() {
    return webSocket.queuedBytesMax();
  }

  /** The most outbound messages queued on any one WebSocket connection right now. */
  public int webSocketQueuedMessagesMax() {
    return webSocket.queuedMessagesMax();
  }
}
