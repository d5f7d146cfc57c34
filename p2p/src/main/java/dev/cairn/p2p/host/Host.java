package dev.cairn.p2p.host;

import dev.cairn.p2p.P2pConfig;
import dev.cairn.p2p.ProtocolTraffic;
import dev.cairn.p2p.P2pStream;
import dev.cairn.p2p.StreamHandler;
import dev.cairn.p2p.StreamListener;
import dev.cairn.p2p.StreamRefusedException;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.identity.PeerBinding;
import dev.cairn.p2p.identity.PeerId;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A libp2p host on Netty: TCP, Noise, Yamux, identify, ping and a connection gater. Register stream
 * handlers before {@link #start}; dial peers by multiaddr; open streams to connected peers. Callbacks
 * (stream listeners, peer listeners) run on Netty event loops and must not block.
 */
public final class Host implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Host.class);
  public static final String AGENT_VERSION = "cairn/0.1.0";
  /**
   * Streams stop handing Data frames to a socket whose unsent bytes pass the high mark and resume below the
   * low mark, so a peer that stops reading TCP holds at most about this much of our memory per connection.
   */
  private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(512 * 1024, 2 * 1024 * 1024);
  /**
   * Netty's pooled allocator, named explicitly: Netty 4.2's default adaptive allocator left direct memory
   * that only a full GC gave back; in a 4-validator run at 3,000 tx/s the nodes' direct memory grew ~25 MB a
   * minute (NMT "Other") until a forced full GC dropped it from 117 MB to 12 MB. The pooled allocator reuses
   * its chunks, so direct memory stays at the pool's working size.
   */
  private static final ByteBufAllocator ALLOCATOR = PooledByteBufAllocator.DEFAULT;

  private final HostKey key;
  private final Optional<byte[]> binding;
  private final P2pConfig config;
  private final ConnectionGater gater;
  private final Map<String, StreamHandler> handlers = new ConcurrentHashMap<>();
  private final Map<PeerId, PeerState> peers = new ConcurrentHashMap<>();
  private final List<PeerListener> listeners = new CopyOnWriteArrayList<>();
  private final List<Channel> serverChannels = new CopyOnWriteArrayList<>();
  private final ConnectionAdmission admission;
  private final HostContext context = new Context();
  private final ProtocolTraffic traffic = new ProtocolTraffic();
  private EventLoopGroup group;
  private volatile boolean stopped;
  private volatile List<Multiaddr> announceAddrs = List.of();

  public Host(HostKey key, P2pConfig config, ConnectionGater gater) {
    this(key, config, gater, Optional.empty());
  }

  /**
   * @param binding this node's key binding for {@code key}'s peer ID, sent in every handshake (see {@link
   *     PeerBinding}); empty for a host whose identity is the node key itself, or that speaks for no node key
   */
  public Host(HostKey key, P2pConfig config, ConnectionGater gater, Optional<PeerBinding> binding) {
    if (binding.isPresent() && !binding.get().peer().equals(key.peerId())) {
      throw new IllegalArgumentException("binding for " + binding.get().peer() + " does not name this host " + key.peerId());
    }
    this.binding = binding.map(PeerBinding::encode);
    this.key = key;
    this.config = config;
    this.gater = gater;
    this.admission = new ConnectionAdmission(config.admission(), config.connectionsMax(), System.nanoTime());
    handlers.put(Identify.PROTOCOL, stream -> {
      Identify.respond(stream, identifyFor(stream.remotePeer()));
      return (s, bytes) -> { };
    });
    handlers.put(Ping.PROTOCOL, stream -> new Ping.Echo());
    gater.onChange(g -> disconnectRefused());
  }

  public PeerId peerId() {
    return key.peerId();
  }

  public ConnectionGater gater() {
    return gater;
  }

  /** Serves {@code protocolId} on inbound streams. Replaces an earlier handler for the same ID. */
  public void setStreamHandler(String protocolId, StreamHandler handler) {
    handlers.put(protocolId, handler);
  }

  public void addPeerListener(PeerListener listener) {
    listeners.add(listener);
  }

  /** Binds every listen address ({@code /ip4/../tcp/..}; port 0 picks a free port). */
  public synchronized void start(List<Multiaddr> listenAddrs) {
    if (group != null) throw new IllegalStateException("host already started");
    group = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
    for (Multiaddr a : listenAddrs) {
      InetSocketAddress bind = a.tcpAddress().orElseThrow(() -> new IllegalArgumentException("not a TCP address: " + a));
      ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .option(ChannelOption.ALLOCATOR, ALLOCATOR)
          .childOption(ChannelOption.ALLOCATOR, ALLOCATOR)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
          .childHandler(initializer(false, null, null));
      Channel ch = b.bind(bind.getHostString(), bind.getPort()).syncUninterruptibly().channel();
      serverChannels.add(ch);
      LOG.info("p2p listening addr={} peer={}", Multiaddr.of((InetSocketAddress) ch.localAddress()), key.peerId());
    }
    group.scheduleAtFixedRate(this::pingAll, config.pingIntervalMillis(), config.pingIntervalMillis(), TimeUnit.MILLISECONDS);
    long logInterval = config.admission().refusalLogIntervalMillis();
    group.scheduleAtFixedRate(this::logRefusals, logInterval, logInterval, TimeUnit.MILLISECONDS);
  }

  /** One summary line per interval for every connection refused or abandoned before authentication. */
  private void logRefusals() {
    String summary = admission.drainSummary(config.admission().refusalLogIntervalMillis());
    if (summary != null) LOG.warn(summary);
  }

  /** Connections refused since start (admission limits and gater), by reason: for metrics and tests. */
  public Map<String, Long> refusedConnections() {
    return admission.refusedTotal();
  }

  /** Stream payload bytes received and sent since start, by protocol: for metrics. */
  public ProtocolTraffic traffic() {
    return traffic;
  }

  /** Connections still handshaking (inbound and our dials), for tests and status. */
  public int handshakesOpen() {
    return admission.handshakesOpen();
  }

  /**
   * Addresses to announce in identify instead of the bound ones (e.g. the public address of a node that
   * binds 0.0.0.0). Empty restores announcing the bound addresses.
   */
  public void setAnnounceAddrs(List<Multiaddr> addrs) {
    announceAddrs = List.copyOf(addrs);
  }

  /** What identify announces: the configured announce addresses, else the bound ones. */
  public List<Multiaddr> announcedAddrs() {
    List<Multiaddr> a = announceAddrs;
    return a.isEmpty() ? listenAddrs() : a;
  }

  /** The bound addresses (with the OS-assigned ports), without /p2p. */
  public List<Multiaddr> listenAddrs() {
    List<Multiaddr> out = new ArrayList<>();
    for (Channel c : serverChannels) out.add(Multiaddr.of((InetSocketAddress) c.localAddress()));
    return out;
  }

  /**
   * Connects to {@code address}. If it names a /p2p peer, a remote presenting another key is refused.
   * Completes with the authenticated peer ID once the connection is secured and muxed. A dial to a /p2p
   * peer already connected reuses that connection.
   */
  public CompletableFuture<PeerId> dial(Multiaddr address) {
    CompletableFuture<PeerId> result = new CompletableFuture<>();
    Optional<PeerId> expected = address.peerId();
    Connection existing = expected.map(this::connectionTo).orElse(null);
    if (existing != null) {
      result.complete(existing.peer());
      return result;
    }
    if (expected.isPresent() && !gater.mayDial(expected.get())) {
      result.completeExceptionally(new StreamRefusedException("peer not on the allowlist: " + expected.get()));
      return result;
    }
    InetSocketAddress target = address.tcpAddress().orElse(null);
    if (target == null || group == null) {
      result.completeExceptionally(new IllegalArgumentException(group == null ? "host not started" : "not a TCP address: " + address));
      return result;
    }
    CompletableFuture<Connection> ready = new CompletableFuture<>();
    ready.whenComplete((c, e) -> {
      if (e != null) result.completeExceptionally(e); else result.complete(c.peer());
    });
    new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.ALLOCATOR, ALLOCATOR)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.handshakeTimeoutMillis())
        .handler(initializer(true, expected.orElse(null), ready))
        .connect(target)
        .addListener(f -> {
          if (!f.isSuccess()) ready.completeExceptionally(f.cause());
        });
    return result;
  }

  /** Opens a stream to a connected peer and negotiates {@code protocolId}; bytes go to {@code listener}. */
  public CompletableFuture<P2pStream> newStream(PeerId peer, String protocolId, StreamListener listener) {
    Connection c = connectionTo(peer);
    if (c == null) return CompletableFuture.failedFuture(new StreamRefusedException("not connected to " + peer));
    return c.session().openStream(protocolId, listener);
  }

  /** One /ipfs/ping round trip to a connected peer; also recorded as its latency. */
  public CompletableFuture<Duration> ping(PeerId peer) {
    Ping.Probe probe = new Ping.Probe();
    CompletableFuture<P2pStream> opened = newStream(peer, Ping.PROTOCOL, probe);
    opened.whenComplete((s, e) -> {
      if (e != null) probe.result.completeExceptionally(e); else probe.send(s);
    });
    return probe.result.orTimeout(config.pingTimeoutMillis(), TimeUnit.MILLISECONDS).whenComplete((d, e) -> {
      PeerState st = peers.get(peer);
      if (st != null && d != null) st.latencyMillis = d.toMillis();
      if (e != null) opened.thenAccept(P2pStream::reset); // a timed-out probe must not hold a stream slot
    });
  }

  public List<PeerInfo> peers() {
    List<PeerInfo> out = new ArrayList<>();
    for (PeerState s : peers.values()) s.snapshot().ifPresent(out::add);
    return out;
  }

  public Optional<PeerInfo> peer(PeerId peer) {
    PeerState s = peers.get(peer);
    return s == null ? Optional.empty() : s.snapshot();
  }

  public boolean isConnected(PeerId peer) {
    return connectionTo(peer) != null;
  }

  /** Closes every connection to {@code peer} (GoAway, then TCP close). */
  public void disconnect(PeerId peer) {
    PeerState s = peers.get(peer);
    if (s == null) return;
    for (Connection c : s.connections) closeNormally(c);
  }

  @Override
  public void close() {
    stop();
  }

  public synchronized void stop() {
    if (group == null || stopped) return;
    stopped = true;
    for (PeerState s : peers.values()) for (Connection c : s.connections) closeNormally(c);
    for (Channel c : serverChannels) c.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    LOG.info("p2p host stopped peer={}", key.peerId());
  }

  private ChannelInitializer<SocketChannel> initializer(boolean outbound, PeerId expected, CompletableFuture<Connection> ready) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        InetSocketAddress remote = ch.remoteAddress();
        java.net.InetAddress ip = remote == null ? null : remote.getAddress();
        ConnectionAdmission.Ticket ticket;
        if (stopped) {
          admission.refuseStopped(ip);
          ticket = null;
        } else {
          ticket = outbound ? admission.admitOutbound(ip) : admission.admitInbound(ip, System.nanoTime());
        }
        if (ticket == null) {
          if (!outbound) ch.config().setSoLinger(0); // a reset: no TIME_WAIT kept for a refused connection
          ch.close();
          if (ready != null) ready.completeExceptionally(new StreamRefusedException("connection refused by admission limits"));
          return;
        }
        ch.closeFuture().addListener(f -> ticket.closed());
        ch.pipeline().addLast(new ConnectionHandler(context, outbound, expected, ready, ticket));
      }
    };
  }

  /** The open connection to {@code peer}, or to the peer bound to the node key {@code peer} derives from. */
  private Connection connectionTo(PeerId peer) {
    PeerState s = peers.get(peer);
    if (s == null) s = gater.resolve(peer).map(peers::get).orElse(null);
    if (s == null) return null;
    for (Connection c : s.connections) if (c.open()) return c;
    return null;
  }

  private static void closeNormally(Connection c) {
    c.channel().eventLoop().execute(() -> {
      ConnectionHandler h = c.channel().pipeline().get(ConnectionHandler.class);
      if (h != null) h.closeNormally(); else c.channel().close();
    });
  }

  private void disconnectRefused() {
    for (PeerState s : peers.values()) {
      if (!gater.allows(s.peer)) {
        LOG.warn("p2p peer no longer allowed, disconnecting peer={}", s.peer);
        for (Connection c : s.connections) closeNormally(c);
      }
    }
  }

  private IdentifyMessage identifyFor(PeerId remote) {
    Connection c = connectionTo(remote);
    return new IdentifyMessage(IdentifyMessage.PROTOCOL_VERSION, AGENT_VERSION, key.publicKey(), announcedAddrs(),
        List.copyOf(handlers.keySet()), Optional.ofNullable(c == null ? null : c.remoteAddress()));
  }

  private void pingAll() {
    for (PeerState s : peers.values()) {
      if (connectionTo(s.peer) == null) continue;
      ping(s.peer).exceptionally(e -> {
        LOG.debug("p2p ping failed peer={} error={}", s.peer, e.toString());
        return null;
      });
    }
  }

  private void identify(Connection c) {
    Identify.Reader reader = new Identify.Reader(config.identifyMessageBytesMax(), (m, failure) -> identified(c, m, failure));
    c.session().openStream(Identify.PROTOCOL, reader).whenComplete((s, e) -> {
      if (e != null) {
        reader.finish(null, "identify_open_failed");
        return;
      }
      c.channel().eventLoop().schedule(() -> {
        reader.finish(null, "identify_timeout");
        s.reset();
      }, config.identifyTimeoutMillis(), TimeUnit.MILLISECONDS);
    });
  }

  private void identified(Connection c, IdentifyMessage m, String failure) {
    if (m == null) {
      if (!"identify_reset".equals(failure) || c.open()) {
        LOG.debug("p2p identify failed peer={} reason={}", c.peer(), failure);
      }
      return;
    }
    if (!PeerId.fromPublicKey(m.publicKey()).equals(c.peer())) {
      LOG.warn("p2p connection closed reason=identify_key_mismatch peer={} addr={}", c.peer(), c.remoteAddress());
      c.channel().close();
      return;
    }
    PeerState st = peers.get(c.peer());
    if (st != null) st.identify = m;
    LOG.debug("p2p identified peer={} agent=\"{}\" protocols={}", c.peer(), m.agentVersion(), m.protocols());
    for (PeerListener l : listeners) safely(() -> l.identified(c.peer(), m));
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("p2p peer listener failed error={}", e.toString());
    }
  }

  private final class Context implements HostContext {
    @Override
    public P2pConfig config() {
      return config;
    }

    @Override
    public ProtocolTraffic traffic() {
      return traffic;
    }

    @Override
    public HostKey key() {
      return key;
    }

    @Override
    public ConnectionGater gater() {
      return gater;
    }

    @Override
    public Optional<byte[]> binding() {
      return binding;
    }

    @Override
    public StreamHandler handler(String protocolId) {
      return handlers.get(protocolId);
    }

    @Override
    public void established(Connection c) {
      PeerState st = peers.computeIfAbsent(c.peer(), PeerState::new);
      boolean first;
      synchronized (st) {
        first = st.connections.isEmpty();
        st.connections.add(c);
      }
      LOG.info("p2p peer connected peer={} addr={} direction={}", c.peer(), c.remoteAddress(), c.outbound() ? "outbound" : "inbound");
      if (first) for (PeerListener l : listeners) safely(() -> l.connected(c.peer(), c.remoteAddress(), c.outbound()));
      identify(c);
    }

    @Override
    public void disconnected(Connection c) {
      PeerState st = peers.get(c.peer());
      if (st == null) return;
      boolean last;
      synchronized (st) {
        st.connections.remove(c);
        last = st.connections.isEmpty();
        if (last) peers.remove(c.peer(), st);
      }
      LOG.info("p2p peer disconnected peer={} addr={}", c.peer(), c.remoteAddress());
      if (last) for (PeerListener l : listeners) safely(() -> l.disconnected(c.peer()));
    }
  }
}
