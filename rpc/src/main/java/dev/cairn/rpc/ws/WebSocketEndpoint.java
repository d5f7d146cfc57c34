package dev.cairn.rpc.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cairn.rpc.ChainEvents;
import dev.cairn.rpc.ChainView;
import dev.cairn.rpc.RpcConfig;
import dev.cairn.rpc.auth.Authentication;
import dev.cairn.rpc.auth.RpcAuth;
import dev.cairn.rpc.auth.RpcAuthConfig;
import dev.cairn.rpc.jsonrpc.Caller;
import dev.cairn.rpc.jsonrpc.ClientRateLimits;
import dev.cairn.rpc.jsonrpc.ErrorCode;
import dev.cairn.rpc.jsonrpc.Json;
import dev.cairn.rpc.jsonrpc.JsonRpcProcessor;
import dev.cairn.rpc.jsonrpc.MethodLookup;
import dev.cairn.rpc.jsonrpc.MethodSpec;
import dev.cairn.rpc.jsonrpc.Params;
import dev.cairn.rpc.jsonrpc.RpcFailure;
import dev.cairn.rpc.jsonrpc.RpcMethod;
import dev.cairn.rpc.methods.CairnMethodSpecs;
import dev.cairn.rpc.methods.CairnMethods;
import io.javalin.websocket.WsConfig;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC over WebSocket at {@link RpcConfig#WS_PATH}: every HTTP method, plus {@code cairn_subscribe} and
 * {@code cairn_unsubscribe}. Notifications are {@code cairn_subscription} messages.
 */
public final class WebSocketEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketEndpoint.class);
  /** A slow consumer gets this long to read its close frame before the TCP connection is dropped. */
  static final long SLOW_CONSUMER_CLOSE_GRACE_MILLIS = 1_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final RpcConfig config;
  private final JsonRpcProcessor processor;
  private final MethodLookup shared;
  private final ClientRateLimits rateLimits;
  private final SubscriptionHub hub;
  private final List<ConnectionMethod> connectionMethods;
  private final RpcAuth auth;
  private final Map<Session, WsConnection> connections = new ConcurrentHashMap<>();
  private final AtomicLong slowConsumersDisconnected = new AtomicLong();
  private final AtomicLong refusedOrigins = new AtomicLong();
  private final AtomicLong refusedUnauthenticated = new AtomicLong();
  private final ScheduledThreadPoolExecutor disconnector = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "rpc-ws-disconnect");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean accepting = true;
  private volatile boolean sameOriginAllowed;

  public WebSocketEndpoint(RpcConfig config, JsonRpcProcessor processor, MethodLookup shared,
      ClientRateLimits rateLimits, ChainView chain) {
    this(config, processor, shared, rateLimits, chain, new RpcAuth(RpcAuthConfig.disabled(), java.time.Clock.systemUTC()));
  }

  /**
   * @param auth checks the bearer token of each upgrade; the connection keeps its caller's permissions
   * @param processor also hands out the node-wide large-answer permits, shared with the HTTP endpoint
   */
  public WebSocketEndpoint(RpcConfig config, JsonRpcProcessor processor, MethodLookup shared,
      ClientRateLimits rateLimits, ChainView chain, RpcAuth auth) {
    this.auth = auth;
    // Every answer schedules its write deadline; most are cancelled at once and must not linger in the queue.
    disconnector.setRemoveOnCancelPolicy(true);
    this.config = config;
    this.processor = processor;
    this.shared = shared;
    this.rateLimits = rateLimits;
    this.hub = new SubscriptionHub(chain);
    this.connectionMethods = List.of(
        new ConnectionMethod(CairnMethodSpecs.subscribe(config.wsSubscriptionsPerConnectionMax()), this::subscribe),
        new ConnectionMethod(CairnMethodSpecs.unsubscribe(), this::unsubscribe));
  }

  public void configure(WsConfig ws) {
    ws.onConnect(ctx -> onConnect(ctx.session, ctx.header("Authorization")));
    ws.onMessage(ctx -> onMessage(ctx.session, ctx.message()));
    ws.onClose(ctx -> onClose(ctx.session));
    ws.onError(ctx -> LOG.debug("websocket error remote={}", ctx.session.getRemoteAddress(), ctx.error()));
  }

  /** The node's block listener: fans a finalized block out to subscribers. */
  public void onBlockFinalized(ChainEvents.BlockFinalized event) {
    hub.onBlockFinalized(event);
  }

  private void onConnect(Session session, String authorization) {
    if (!accepting) {
      session.close(StatusCode.SHUTDOWN, "server is shutting down");
      return;
    }
    // Checked before the upgrade already; checked again here, where the connection gets its caller.
    if (!(auth.authenticate(authorization) instanceof Authentication.Accepted accepted)) {
      session.close(StatusCode.POLICY_VIOLATION, "not authenticated");
      return;
    }
    // One bucket per client address, shared with its HTTP calls and its other connections: opening more
    // connections does not buy more calls.
    WsConnection connection = new WsConnection(
        session, config.wsQueueMessagesMax(), config.wsQueueBytesMax(), rateLimits.bucketFor(clientIp(session)),
        this::slowConsumer);
    connection.useMethods(MethodLookup.of(connectionMethods(connection)).over(shared));
    connection.useCaller(accepted.caller());
    // Count first, then refuse: concurrent connects cannot both slip under the limit.
    connections.put(session, connection);
    if (connections.size() > config.wsConnectionsMax()) {
      connections.remove(session);
      session.close(StatusCode.TRY_AGAIN_LATER, "too many WebSocket connections (max " + config.wsConnectionsMax() + ")");
      return;
    }
    LOG.debug("websocket connected remote={}", connection.remote());
  }

  private static String clientIp(Session session) {
    java.net.SocketAddress remote = session.getRemoteAddress();
    if (remote instanceof java.net.InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress();
    }
    return String.valueOf(remote);
  }

  /**
   * Before the upgrade: a browser page may open a WebSocket to any address it likes (no CORS preflight), so a
   * handshake whose Origin is not on {@link RpcConfig#wsAllowedOrigins} is refused with 403. Clients that
   * are not browsers send no Origin and pass.
   */
  public void checkUpgrade(io.javalin.http.Context ctx) {
    checkOrigin(ctx);
    if (auth.authenticate(ctx.header("Authorization")) instanceof Authentication.Refused refused) {
      refusedUnauthenticated.incrementAndGet();
      LOG.debug("websocket refused reason=not_authenticated code={} remote={}", refused.code().code(), ctx.ip());
      ctx.header("WWW-Authenticate", "Bearer");
      throw new io.javalin.http.UnauthorizedResponse(refused.code().message() + ": " + refused.detail());
    }
  }

  /** WebSocket handshakes refused for want of a valid token (for metrics and tests). */
  public long refusedUnauthenticated() {
    return refusedUnauthenticated.get();
  }

  public void checkOrigin(io.javalin.http.Context ctx) {
    String origin = ctx.header("Origin");
    if (!config.wsOriginAllowed(origin) && !(sameOriginAllowed && sameOrigin(origin, ctx.header("Host")))) {
      refusedOrigins.incrementAndGet();
      LOG.debug("websocket refused reason=origin_not_allowed origin=\"{}\" remote={}", origin, ctx.ip());
      throw new io.javalin.http.ForbiddenResponse("WebSocket origin not allowed: " + origin);
    }
  }

  /** Also admit handshakes from pages this server itself served (Origin equal to the requested Host). */
  public void allowSameOrigin() {
    sameOriginAllowed = true;
  }

  static boolean sameOrigin(String origin, String host) {
    if (origin == null || host == null || host.isEmpty()) {
      return false;
    }
    String lower = origin.toLowerCase(java.util.Locale.ROOT);
    String hostLower = host.toLowerCase(java.util.Locale.ROOT);
    return lower.equals("http://" + hostLower) || lower.equals("https://" + hostLower);
  }

  /** WebSocket handshakes refused for their Origin (for metrics and tests). */
  public long refusedOrigins() {
    return refusedOrigins.get();
  }

  /**
   * Jetty calls this once at a time per connection, so waiting here stops reading that client only. The call
   * first needs the connection's answer slot (its previous answer written); a large answer then holds a
   * node-wide permit (taken by the processor) until Jetty has written it. An answer not written within
   * {@code answerWriteTimeoutMillis} closes the connection as a slow consumer, which fails the write and so
   * gives the slot and the permit back.
   */
  private void onMessage(Session session, String text) {
    WsConnection connection = connections.get(session);
    if (connection == null) {
      return;
    }
    long timeoutMillis = config.answerLimits().answerWriteTimeoutMillis();
    if (!connection.awaitAnswerSlot(timeoutMillis)) {
      connection.slowConsumer("previous answer unread for " + timeoutMillis + " ms");
      return;
    }
    boolean handedOver = false;
    try {
      JsonRpcProcessor.Reply reply = processor.process(text.getBytes(StandardCharsets.UTF_8), connection.methods(),
          connection.bucket(), connection.caller(), clientIp(session));
      List<Subscription> created = connection.takeToArm();
      if (reply instanceof JsonRpcProcessor.Reply.Answer answer) {
        String body;
        try {
          body = write(answer.body());
        } catch (RuntimeException e) {
          answer.release();
          throw e;
        }
        ScheduledFuture<?> deadline = disconnector.schedule(
            () -> connection.slowConsumer("answer unwritten for " + timeoutMillis + " ms"), timeoutMillis, TimeUnit.MILLISECONDS);
        handedOver = true;
        connection.sendAnswer(body, created, () -> {
          deadline.cancel(false);
          answer.release();
        });
      } else {
        created.forEach(Subscription::arm);
      }
      for (Subscription subscription : created) {
        hub.afterArmed(subscription);
      }
    } finally {
      if (!handedOver) {
        connection.releaseAnswerSlot();
      }
    }
  }

  private void onClose(Session session) {
    WsConnection connection = connections.remove(session);
    if (connection != null) {
      for (Subscription subscription : connection.subscriptions()) {
        hub.remove(subscription);
      }
      LOG.debug("websocket closed remote={}", connection.remote());
    }
  }

  private void slowConsumer(WsConnection connection) {
    slowConsumersDisconnected.incrementAndGet();
    disconnector.schedule(connection::disconnect, SLOW_CONSUMER_CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** A method each connection serves for itself, over the shared ones: its body gets the connection. */
  private record ConnectionMethod(MethodSpec spec, BiFunction<WsConnection, Params, JsonNode> body) {
    RpcMethod boundTo(WsConnection connection) {
      return new RpcMethod(spec, p -> body.apply(connection, p));
    }
  }

  private List<RpcMethod> connectionMethods(WsConnection connection) {
    return connectionMethods.stream().map(m -> m.boundTo(connection)).toList();
  }

  /** The methods only a WebSocket connection serves (cairn_subscribe, cairn_unsubscribe), described. */
  public List<MethodSpec> connectionMethodSpecs() {
    return connectionMethods.stream().map(ConnectionMethod::spec).toList();
  }

  /**
   * Positional by kind: {@code ["newHeads"]}, {@code ["txFinalized", txId]}, {@code ["account", address]},
   * {@code ["record", owner, key]} ({@link CairnMethodSpecs#subscribe} names the params). By name, the second
   * param keeps the name it had when txFinalized was the only kind with one.
   */
  private JsonNode subscribe(WsConnection connection, Params p) {
    String kind = p.string(0);
    Subscription.Topic topic = switch (kind) {
      case "newHeads" -> {
        if (p.optional(1) != null || p.optional(2) != null) {
          throw RpcFailure.invalidParam(p.name(1), "newHeads takes no further param");
        }
        yield new Subscription.Topic.NewHeads();
      }
      case "txFinalized" -> {
        noKey(p);
        yield new Subscription.Topic.TxFinalized(p.hash(1));
      }
      case "account" -> {
        noKey(p);
        yield new Subscription.Topic.Account(p.address(1));
      }
      case "record" -> new Subscription.Topic.Record(p.address(1), CairnMethods.recordKey(p, 2));
      default -> throw RpcFailure.invalidParam(p.name(0),
          "expected \"newHeads\", \"txFinalized\", \"account\" or \"record\"");
    };
    Subscription subscription = new Subscription(newId(), connection, topic);
    if (connection.subscriptionCount() >= config.wsSubscriptionsPerConnectionMax()) {
      throw new RpcFailure(ErrorCode.SUBSCRIPTIONS_LIMIT, "at most " + config.wsSubscriptionsPerConnectionMax());
    }
    connection.add(subscription);
    hub.add(subscription);
    return TextNode.valueOf(subscription.id());
  }

  private static void noKey(Params p) {
    if (p.optional(2) != null) {
      throw RpcFailure.invalidParam(p.name(2), "only a record subscription takes a key");
    }
  }

  private JsonNode unsubscribe(WsConnection connection, Params p) {
    Subscription removed = connection.remove(p.string(0));
    if (removed != null) {
      hub.remove(removed);
    }
    return BooleanNode.valueOf(removed != null);
  }

  private static String newId() {
    byte[] id = new byte[8];
    RANDOM.nextBytes(id);
    return "0x" + HexFormat.of().formatHex(id);
  }

  private static String write(JsonNode body) {
    try {
      return Json.MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree built here must serialize", e);
    }
  }

  /** Refuses new connections and closes the open ones with "going away". */
  public void stop() {
    accepting = false;
    for (WsConnection connection : connections.values()) {
      connection.close(StatusCode.SHUTDOWN, "server stopping");
    }
    disconnector.shutdownNow();
  }

  public int connectionCount() {
    return connections.size();
  }

  public long slowConsumersDisconnected() {
    return slowConsumersDisconnected.get();
  }

  public int subscriptionCount() {
    return hub.newHeadsCount() + hub.txWatchCount() + hub.historyWatchCount();
  }

  /** The most bytes of notifications queued on any one connection right now. */
  public long queuedBytesMax() {
    return connections.values().stream().mapToLong(WsConnection::queuedBytes).max().orElse(0);
  }

  /** The most messages queued on any one connection right now. */
  public int queuedMessagesMax() {
    return connections.values().stream().mapToInt(WsConnection::queuedMessages).max().orElse(0);
  }
}
