package dev.cairn.p2p.gossip;

import dev.cairn.p2p.P2pStream;
import dev.cairn.p2p.StreamListener;
import dev.cairn.p2p.host.Host;
import dev.cairn.p2p.host.PeerInfo;
import dev.cairn.p2p.host.PeerListener;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.identity.PeerId;
import dev.cairn.p2p.wire.FrameReader;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GossipSub on a libp2p {@link Host}: runs one {@link GossipRouter} on its own thread and connects it to
 * {@code /meshsub/1.1.0} streams, one long-lived stream per peer and direction, each RPC one
 * uvarint-length-prefixed frame. Netty event loops only decode frames and enqueue events (bounded by
 * {@link GossipConfig#eventQueueMax()}); everything else happens on the router thread. Methods are
 * thread-safe. Subscribers and validators are called on the router thread and must not block.
 */
public final class GossipService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GossipService.class);

  private final Host host;
  private final GossipConfig config;
  private final ScheduledExecutorService loop;
  /** Verifies received StrictSign signatures in parallel; the router bounds what it has in flight. */
  private final ExecutorService verifier;
  private final GossipRouter router;
  private final Map<PeerId, PeerStreams> streams = new ConcurrentHashMap<>();
  /** Unsent gossip over all peers, bounded by the node-wide budget. */
  private final OutboundGossip outbound;
  private final AtomicLong lastOutboundWarnMillis = new AtomicLong();
  private final AtomicInteger queuedEvents = new AtomicInteger();
  private final AtomicLong droppedEvents = new AtomicLong();
  private final AtomicLong droppedRpcs = new AtomicLong();
  /** Received RPCs waiting for the router, in bytes, in total and per peer. */
  private final InboundBudget inbound;
  /** Inbound frames refused (larger than the RPC limit, or malformed framing). */
  private final AtomicLong refusedFrames = new AtomicLong();
  private final AtomicLong lastRefusalWarnMillis = new AtomicLong();
  /** At most one WARN per this interval for refused frames and inbound drops; the counters count them all. */
  static final long WARN_INTERVAL_MILLIS = 10_000;
  private volatile boolean closed;
  private final AtomicBoolean started = new AtomicBoolean();
  /** Router-thread only. */
  private int eventsSinceFlush;
  private static final int FLUSH_EVENTS_MAX = 64;
  /** One verifier per core: an Ed25519 verify (~80 us) is the costliest step of a received message. */
  private static final int VERIFIER_THREADS = Runtime.getRuntime().availableProcessors();

  /** A service with the budget derived from the config and every topic at the lowest priority. */
  public GossipService(Host host, HostKey key, GossipConfig config, MessageIdFunction ids) {
    this(host, key, config, ids, GossipOutbound.derived(config));
  }

  /** {@code budget}: the node-wide bound on unsent gossip and which topics it drops first. */
  public GossipService(Host host, HostKey key, GossipConfig config, MessageIdFunction ids, GossipOutbound budget) {
    this.host = Objects.requireNonNull(host, "host");
    this.config = Objects.requireNonNull(config, "config");
    budget.checkAgainst(config);
    this.outbound = new OutboundGossip(budget, streams, config.outboundRpcQueueMax(), config.outboundQueueBytesMax());
    this.inbound = new InboundBudget(config.inboundQueueBytesMax(), config.inboundQueueBytesPerPeerMax());
    if (!key.peerId().equals(host.peerId())) {
      throw new IllegalArgumentException("key is not the host's key");
    }
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gossip-router");
      t.setDaemon(true);
      return t;
    });
    AtomicInteger verifierThreads = new AtomicInteger();
    this.verifier = Executors.newFixedThreadPool(VERIFIER_THREADS, r -> {
      Thread t = new Thread(r, "gossip-verify-" + verifierThreads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    RandomGenerator random = new SecureRandom();
    this.router = new GossipRouter(config, key, ids, new StreamTransport(), this::executeInternal, verifier, random,
        System.currentTimeMillis());
    // Bursts of events (publishes, received RPCs) are answered with one flush when the burst ends.
    router.deferFlush(true);
  }

  /** Registers the protocol handler and peer listener; call before {@code host.start}, or any time after. */
  public void start() {
    if (started.getAndSet(true)) {
      throw new IllegalStateException("gossip service already started");
    }
    host.setStreamHandler(GossipConfig.PROTOCOL_ID, this::inboundStream);
    host.addPeerListener(new PeerListener() {
      @Override
      public void connected(PeerId peer, Multiaddr address, boolean outbound) {
        peerConnected(peer);
      }

      @Override
      public void disconnected(PeerId peer) {
        peerDisconnected(peer);
      }
    });
    for (PeerInfo info : host.peers()) {
      peerConnected(info.peer());
    }
    loop.scheduleAtFixedRate(() -> {
      outbound.reconcileAll(); // bytes written since the last send return to the budget
      router.heartbeat(System.currentTimeMillis());
      router.flush();
    }, config.heartbeatInitialDelayMillis(), config.heartbeatIntervalMillis(), TimeUnit.MILLISECONDS);
  }

  // ---- application API ---------------------------------------------------------------------------------

  /** Signs (StrictSign) on the calling thread, so that publishers do not queue behind the router thread. */
  public CompletableFuture<PublishResult> publish(String topic, byte[] data) {
    PubsubMessage message = router.author(topic, data);
    return call(r -> r.publish(message), new PublishResult.Refused(PublishResult.Reason.OVERLOADED,
        "router event queue full or closed"));
  }

  /** Joins {@code topic}; {@code subscriber} runs on the router thread and must hand work off quickly. */
  public CompletableFuture<Void> subscribe(String topic, Consumer<ReceivedMessage> subscriber) {
    return call(r -> {
      r.subscribe(topic, subscriber);
      return null;
    }, null);
  }

  public CompletableFuture<Void> unsubscribe(String topic) {
    return call(r -> {
      r.unsubscribe(topic);
      return null;
    }, null);
  }

  public CompletableFuture<Void> setValidator(String topic, TopicValidator validator) {
    return call(r -> {
      r.setValidator(topic, validator);
      return null;
    }, null);
  }

  /** Reads router state on the router thread (stats, mesh peers). */
  public <T> CompletableFuture<T> query(Function<GossipRouter, T> read) {
    return call(read, null);
  }

  public CompletableFuture<GossipStats> stats() {
    return query(GossipRouter::stats);
  }

  public CompletableFuture<Set<PeerId>> meshPeers(String topic) {
    return query(r -> r.meshPeers(topic));
  }

  /** Events waiting for the router thread now (bounded by the config's eventQueueMax). */
  public int queuedEvents() {
    return queuedEvents.get();
  }

  /** Events dropped because the router queue was full, and RPCs dropped because a peer's queue was full. */
  public long droppedEvents() {
    return droppedEvents.get();
  }

  public long droppedRpcs() {
    return droppedRpcs.get();
  }

  /**
   * Messages not sent because the node-wide outbound budget had no room at their topic's priority, by topic;
   * control RPCs under {@code "control"}. Any thread.
   */
  public Map<String, Long> outboundDropsByTopic() {
    return outbound.droppedByTopic();
  }

  /** Unsent gossip bytes over all peers now, and the budget that bounds them. */
  public long outboundUnsentBytes() {
    return outbound.unsentBytes();
  }

  public long outboundBytesMax() {
    return outbound.bytesMax();
  }

  /** Received RPCs dropped because their peer's or the total inbound byte budget was full. */
  public long droppedInboundRpcs() {
    return inbound.dropped();
  }

  /** Inbound frames refused, most often for exceeding the RPC limit (the peer's stream is reset). */
  public long refusedFrames() {
    return refusedFrames.get();
  }

  @Override
  public void close() {
    closed = true;
    loop.shutdownNow();
    verifier.shutdownNow();
    streams.values().forEach(PeerStreams::resetAll);
    streams.clear();
  }

  // ---- events from the host (Netty event loops) ----------------------------------------------------------

  private void peerConnected(PeerId peer) {
    PeerStreams ps = streams.computeIfAbsent(peer, p -> outbound.newPeer());
    post(() -> router.peerConnected(peer));
    openOutbound(peer, ps);
  }

  private void peerDisconnected(PeerId peer) {
    PeerStreams ps = streams.remove(peer);
    if (ps != null) {
      ps.resetAll();
    }
    executeInternal(() -> router.peerDisconnected(peer));
  }

  private void openOutbound(PeerId peer, PeerStreams ps) {
    if (closed || !ps.startOpening()) {
      return;
    }
    host.newStream(peer, GossipConfig.PROTOCOL_ID, new StreamListener() {
      @Override
      public void onData(P2pStream stream, byte[] bytes) {
        // The peer must not write on the stream we opened; ignore rather than guess a meaning.
      }

      @Override
      public void onReset(P2pStream stream) {
        if (ps.outboundClosed(stream) && !closed && streams.get(peer) == ps && host.isConnected(peer)) {
          openOutbound(peer, ps);
        }
      }
    }).whenComplete((stream, error) -> {
      if (error != null) {
        ps.openFailed();
        log.debug("gossip stream refused peer={} error={}", peer.shortText(), error.toString());
        return;
      }
      if (streams.get(peer) != ps || closed) {
        stream.reset();
        return;
      }
      if (!ps.opened(stream)) {
        droppedRpcs.incrementAndGet();
      }
    });
  }

  private StreamListener inboundStream(P2pStream stream) {
    PeerId peer = stream.remotePeer();
    PeerStreams ps = streams.computeIfAbsent(peer, p -> outbound.newPeer());
    P2pStream old = ps.inbound(stream);
    if (old != null) {
      old.reset();
    }
    post(() -> router.peerConnected(peer));
    openOutbound(peer, ps);
    FrameReader frames = new FrameReader(config.rpc().rpcBytesMax());
    // Credit for a complete RPC goes back to the peer once the router has handled it, not when it is queued:
    // a peer can then be at most one Yamux window (plus the frame being assembled) ahead of the router.
    // Bytes of a frame still being assembled are credited at once (the reader's frame limit bounds them).
    return new StreamListener() {
      @Override
      public boolean creditsWhenConsumed() {
        return true;
      }

      @Override
      public void onData(P2pStream s, byte[] bytes) {
        switch (frames.feed(bytes)) {
          case FrameReader.Result.Frames ok -> {
            long deferred = 0;
            for (byte[] rpc : ok.frames()) deferred += rpc.length;
            deferred = Math.min(deferred, bytes.length);
            s.consumed((int) (bytes.length - deferred));
            for (byte[] rpc : ok.frames()) {
              int credit = (int) Math.min(deferred, rpc.length);
              deferred -= credit;
              postReceived(peer, rpc, () -> s.consumed(credit));
            }
          }
          case FrameReader.Result.Refused refused -> {
            refusedFrames.incrementAndGet();
            warnRateLimited("event=gossip_frame_refused peer={} reason={} detail=\"{}\" refused_total={}", peer.shortText(),
                refused.reason(), refused.detail(), refusedFrames.get());
            s.reset();
          }
        }
      }
    };
  }

  // ---- the router thread ----------------------------------------------------------------------------------

  /**
   * A received RPC for the router, within the inbound byte budget (its peer's share and the total).
   * {@code returnCredit} gives the stream's window back once the router has handled the RPC, or at once when
   * it is dropped (nothing of it is held), so a peer's window measures what we still hold of it.
   */
  private void postReceived(PeerId peer, byte[] rpc, Runnable returnCredit) {
    if (!inbound.reserve(peer, rpc.length)) {
      warnRateLimited("event=gossip_inbound_dropped peer={} bytes={} reason=inbound_bytes_full dropped_total={}",
          peer.shortText(), rpc.length, inbound.dropped());
      returnCredit.run();
      return;
    }
    if (!post(() -> {
      try {
        inbound.release(peer, rpc.length);
        router.rpcReceived(peer, rpc);
      } finally {
        returnCredit.run();
      }
    })) {
      inbound.release(peer, rpc.length);
      returnCredit.run();
    }
  }

  private void warnOutboundRateLimited(PeerId to, String topic, int bytes) {
    long now = System.currentTimeMillis();
    long last = lastOutboundWarnMillis.get();
    if (now - last >= WARN_INTERVAL_MILLIS && lastOutboundWarnMillis.compareAndSet(last, now)) {
      log.warn("event=gossip_outbound_dropped peer={} topic={} bytes={} reason=outbound_budget_full unsent_bytes={} "
              + "budget_bytes={} dropped_by_topic={}", to.shortText(), topic, bytes, outbound.unsentBytes(),
          outbound.bytesMax(), outbound.droppedByTopic());
    }
  }

  private void warnRateLimited(String format, Object... args) {
    long now = System.currentTimeMillis();
    long last = lastRefusalWarnMillis.get();
    if (now - last >= WARN_INTERVAL_MILLIS && lastRefusalWarnMillis.compareAndSet(last, now)) {
      log.warn(format, args);
    }
  }

  /** Queues an external event; beyond {@code eventQueueMax} waiting events it is dropped and counted. */
  private boolean post(Runnable event) {
    if (queuedEvents.incrementAndGet() > config.eventQueueMax()) {
      queuedEvents.decrementAndGet();
      droppedEvents.incrementAndGet();
      return false;
    }
    try {
      loop.execute(() -> {
        int left = queuedEvents.decrementAndGet();
        event.run();
        flushAtBurstEnd(left);
      });
      return true;
    } catch (RejectedExecutionException e) {
      queuedEvents.decrementAndGet();
      return false;
    }
  }

  /** Flush when no event waits, and at least every {@code FLUSH_EVENTS_MAX} events to bound latency. */
  private void flushAtBurstEnd(int eventsWaiting) {
    if (eventsWaiting == 0 || ++eventsSinceFlush >= FLUSH_EVENTS_MAX) {
      eventsSinceFlush = 0;
      router.flush();
    }
  }

  /** Internal follow-ups (validation results, disconnects) are never dropped: they are bounded elsewhere. */
  private void executeInternal(Runnable task) {
    try {
      loop.execute(() -> {
        task.run();
        flushAtBurstEnd(queuedEvents.get());
      });
    } catch (RejectedExecutionException e) {
      // closed: nothing left to update
    }
  }

  private <T> CompletableFuture<T> call(Function<GossipRouter, T> action, T whenRefused) {
    CompletableFuture<T> result = new CompletableFuture<>();
    boolean queued = post(() -> {
      try {
        result.complete(action.apply(router));
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    if (!queued) {
      if (whenRefused != null) {
        result.complete(whenRefused);
      } else {
        result.completeExceptionally(new RejectedExecutionException("gossip router queue full or closed"));
      }
    }
    return result;
  }

  /** The router's view of the network: frames on our outbound stream to each peer. */
  private final class StreamTransport implements GossipTransport {
    @Override
    public void send(PeerId to, byte[] rpc, Priority priority) {
      if (priority == Priority.MESSAGES) {
        sendMessages(to, rpc, OutboundGossip.UNNAMED_TOPIC, 1); // the router sends messages by topic
        return;
      }
      handle(to, outbound.sendControl(to, FrameReader.frame(rpc)), priority, OutboundGossip.CONTROL, rpc.length);
    }

    @Override
    public void sendMessages(PeerId to, byte[] rpc, String topic, int messages) {
      handle(to, outbound.sendMessages(to, FrameReader.frame(rpc), topic, messages), Priority.MESSAGES, topic, rpc.length);
    }

    private void handle(PeerId to, PeerStreams.Sent sent, Priority priority, String topic, int bytes) {
      switch (sent) {
        case SENT, PENDING, CLOSED -> {}
        case FULL -> {
          droppedRpcs.incrementAndGet();
          if (priority == Priority.CONTROL) {
            disconnect(to, "outbound queue full for control");
          }
        }
        // Not this peer's fault: the node as a whole has too much unsent; the drop is counted by topic.
        case BUDGET_FULL -> warnOutboundRateLimited(to, topic, bytes);
      }
    }

    @Override
    public void disconnect(PeerId peer, String reason) {
      log.warn("gossip disconnecting peer={} reason={}", peer.shortText(), reason);
      host.disconnect(peer);
    }
  }
}
