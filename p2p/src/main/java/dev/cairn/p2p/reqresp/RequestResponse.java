package dev.cairn.p2p.reqresp;

import dev.cairn.p2p.P2pStream;
import dev.cairn.p2p.StreamListener;
import dev.cairn.p2p.host.Host;
import dev.cairn.p2p.host.PeerListener;
import dev.cairn.p2p.identity.PeerId;
import dev.cairn.p2p.wire.FrameReader;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Request/response over libp2p streams: one fresh stream per request on the request's protocol ID. The
 * requester writes one frame {@code uvarint(n) || request} and half-closes; the responder answers one frame
 * {@code uvarint(1 + m) || status || body} and half-closes. Every exchange is bounded in time, size and
 * concurrency per peer; every outcome is a {@link Response}, never an exception. Thread-safe.
 */
public final class RequestResponse implements AutoCloseable {
  private final Host host;
  private final RequestResponseConfig config;
  private final ScheduledExecutorService timer;
  private final Map<PeerId, AtomicInteger> outboundInFlight = new ConcurrentHashMap<>();
  private final Map<PeerId, AtomicInteger> inboundInFlight = new ConcurrentHashMap<>();
  private final Set<OutboundRequest> outstanding = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public RequestResponse(Host host, RequestResponseConfig config) {
    this.host = Objects.requireNonNull(host, "host");
    this.config = Objects.requireNonNull(config, "config");
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "reqresp-timeouts");
      t.setDaemon(true);
      return t;
    });
    // Forget per-peer counters of peers that left, so the maps stay as small as the peer set. An exchange
    // still finishing decrements a detached counter, which is harmless.
    host.addPeerListener(new PeerListener() {
      @Override
      public void disconnected(PeerId peer) {
        outboundInFlight.remove(peer);
        inboundInFlight.remove(peer);
      }
    });
  }

  /** Serves {@code protocolId} with {@code handler}; register before the host starts or any time after. */
  public void register(String protocolId, RequestHandler handler) {
    register(protocolId, handler, config.requestBytesMax());
  }

  /**
   * Serves {@code protocolId}, accepting requests of at most {@code requestBytesMax} bytes: a protocol whose
   * requests are small (a status query, a height range) should say so, so that a peer cannot make each of its
   * concurrent requests buffer the general limit.
   */
  public void register(String protocolId, RequestHandler handler, int requestBytesMax) {
    Objects.requireNonNull(handler, "handler");
    if (requestBytesMax < 0 || requestBytesMax > config.requestBytesMax()) {
      throw new IllegalArgumentException("requestBytesMax must be in [0, " + config.requestBytesMax() + "]: " + requestBytesMax);
    }
    host.setStreamHandler(protocolId, stream -> accept(stream, handler, requestBytesMax));
  }

  public CompletableFuture<Response> request(PeerId peer, String protocolId, byte[] request) {
    if (closed) {
      return CompletableFuture.completedFuture(new Response.Failed(Response.Reason.CLOSED, "request/response closed"));
    }
    if (request.length > config.requestBytesMax()) {
      return CompletableFuture.completedFuture(new Response.Failed(Response.Reason.REQUEST_TOO_LARGE,
          request.length + " > " + config.requestBytesMax() + " bytes"));
    }
    AtomicInteger inFlight = outboundInFlight.computeIfAbsent(peer, p -> new AtomicInteger());
    if (inFlight.incrementAndGet() > config.outboundRequestsPerPeerMax()) {
      inFlight.decrementAndGet();
      return CompletableFuture.completedFuture(new Response.Failed(Response.Reason.TOO_MANY_REQUESTS,
          config.outboundRequestsPerPeerMax() + " requests already in flight to " + peer.shortText()));
    }
    OutboundRequest exchange = new OutboundRequest(config.responseBytesMax(), inFlight::decrementAndGet);
    outstanding.add(exchange);
    ScheduledFuture<?> timeout = schedule(() -> exchange.fail(Response.Reason.TIMEOUT,
        "no response within " + config.requestTimeoutMillis() + " ms"));
    exchange.result.whenComplete((r, e) -> {
      outstanding.remove(exchange);
      if (timeout != null) {
        timeout.cancel(false);
      }
    });
    byte[] framed = FrameReader.frame(request);
    host.newStream(peer, protocolId, exchange).whenComplete((stream, error) -> {
      if (error != null) {
        exchange.fail(Response.Reason.UNSUPPORTED, String.valueOf(rootMessage(error)));
      } else {
        exchange.opened(stream, framed);
      }
    });
    return exchange.result;
  }

  private StreamListener accept(P2pStream stream, RequestHandler handler, int requestBytesMax) {
    PeerId peer = stream.remotePeer();
    AtomicInteger inFlight = inboundInFlight.computeIfAbsent(peer, p -> new AtomicInteger());
    if (closed || inFlight.incrementAndGet() > config.inboundRequestsPerPeerMax()) {
      inFlight.decrementAndGet();
      InboundRequest.refuseBusy(stream);
      return new StreamListener() {
        @Override
        public void onData(P2pStream s, byte[] bytes) {
          // Already answered BUSY; the request body is dropped unread.
        }
      };
    }
    ScheduledFuture<?>[] timeout = new ScheduledFuture<?>[1];
    InboundRequest exchange = new InboundRequest(handler, Math.max(1, requestBytesMax), config.responseBytesMax(), () -> {
      inFlight.decrementAndGet();
      if (timeout[0] != null) {
        timeout[0].cancel(false);
      }
    });
    // The requester owns the deadline; the responder gives up only after twice as long, so that a slow
    // answer reaches a requester still waiting as a TIMEOUT of its own, never as our reset racing its timer.
    long responderTimeoutMillis = 2 * config.requestTimeoutMillis();
    timeout[0] = schedule(() -> exchange.abort(stream, "not answered within " + responderTimeoutMillis + " ms"),
        responderTimeoutMillis);
    return exchange;
  }

  /** Schedules a timeout; null if closed, in which case the task already ran so that nothing waits forever. */
  private ScheduledFuture<?> schedule(Runnable task) {
    return schedule(task, config.requestTimeoutMillis());
  }

  private ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
    try {
      return timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      task.run();
      return null;
    }
  }

  private static String rootMessage(Throwable error) {
    Throwable t = error;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    for (OutboundRequest r : outstanding) {
      r.fail(Response.Reason.CLOSED, "request/response closed");
    }
  }
}
