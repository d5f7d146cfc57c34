package dev.cairn.p2p.yamux;

import dev.cairn.p2p.P2pConfig;
import dev.cairn.p2p.ProtocolTraffic;
import dev.cairn.p2p.P2pStream;
import dev.cairn.p2p.StreamHandler;
import dev.cairn.p2p.StreamListener;
import dev.cairn.p2p.StreamRefusedException;
import dev.cairn.p2p.identity.PeerId;
import dev.cairn.p2p.mss.MultistreamSelect;
import dev.cairn.p2p.wire.DecodeException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Yamux 1.0.0 session over one secured connection. Runs entirely on the connection's event loop: frames
 * are decoded from the decrypted byte stream by {@link #onBytes}, answered or dispatched to streams, and
 * never block. The TCP dialer is the client (odd stream IDs), the listener the server (even IDs).
 */
public final class YamuxSession {
  private static final Logger LOG = LoggerFactory.getLogger(YamuxSession.class);
  static final int INITIAL_WINDOW_BYTES = P2pConfig.YAMUX_INITIAL_WINDOW_BYTES;
  /** One Data frame plus header fits one Noise transport frame (65519 plaintext bytes). */
  static final int DATA_FRAME_BYTES_MAX = 65519 - YamuxHeader.BYTES;

  /** Where the session's frames go and how it ends its connection: the connection handler. */
  public interface Transport {
    void send(ByteBuf plaintext);

    void flush();

    void close(String reason);

    /** False while the socket's outbound buffer is above its high-water mark: streams hold their data. */
    boolean writable();

    /** Bytes written to the connection and not yet taken by the socket. */
    long pendingWriteBytes();
  }

  private final Transport transport;
  private final EventLoop loop;
  private final P2pConfig config;
  private final PeerId remotePeer;
  private final Function<String, StreamHandler> handlers;
  private final Map<Long, YamuxStream> streams = new HashMap<>();
  private final ByteBuf input = Unpooled.buffer();
  private YamuxHeader pendingHeader;
  private long nextStreamId;
  private long lastRemoteStreamId;
  private int inboundOpen;
  private int outboundOpen;
  private boolean goAwayReceived;
  private boolean closed;
  private boolean backlogExceeded;
  private long pingOpaque;
  private long pingSentNanos = -1;
  private volatile long rttMillis = -1;
  private ScheduledFuture<?> keepAlive;
  private final ProtocolTraffic traffic;

  public YamuxSession(Transport transport, EventLoop loop, P2pConfig config, boolean client, PeerId remotePeer,
      Function<String, StreamHandler> handlers) {
    this(transport, loop, config, client, remotePeer, handlers, new ProtocolTraffic());
  }

  /** @param traffic where the streams of this session count their payload bytes by protocol (shared per host) */
  public YamuxSession(Transport transport, EventLoop loop, P2pConfig config, boolean client, PeerId remotePeer,
      Function<String, StreamHandler> handlers, ProtocolTraffic traffic) {
    this.traffic = traffic;
    this.transport = transport;
    this.loop = loop;
    this.config = config;
    this.remotePeer = remotePeer;
    this.handlers = handlers;
    this.nextStreamId = client ? 1 : 2;
  }

  /** Starts the keep-alive pings. Call on the event loop once the session is live. */
  public void start() {
    keepAlive = loop.scheduleAtFixedRate(this::keepAlivePing, config.yamuxPingIntervalMillis(),
        config.yamuxPingIntervalMillis(), TimeUnit.MILLISECONDS);
  }

  ProtocolTraffic traffic() {
    return traffic;
  }

  public PeerId remotePeer() {
    return remotePeer;
  }

  /** Round trip of the last answered keep-alive ping, or -1. */
  public long rttMillis() {
    return rttMillis;
  }

  /** Decodes every complete frame in the decrypted bytes; DecodeException means close the connection. */
  public void onBytes(ByteBuf bytes) {
    // Frames are parsed straight from the caller's buffer; only an incomplete tail is copied and kept.
    ByteBuf source = bytes;
    if (input.isReadable()) {
      input.writeBytes(bytes);
      source = input;
    }
    while (!closed) {
      if (pendingHeader == null) {
        pendingHeader = YamuxHeader.tryRead(source);
        if (pendingHeader == null) break;
        checkFrameLength(pendingHeader);
      }
      YamuxHeader h = pendingHeader;
      int payloadLen = h.type() == YamuxHeader.TYPE_DATA ? (int) h.length() : 0;
      if (source.readableBytes() < payloadLen) break;
      byte[] payload = new byte[payloadLen];
      source.readBytes(payload);
      pendingHeader = null;
      onFrame(h, payload);
    }
    if (closed) return;
    if (source == bytes) {
      input.writeBytes(bytes);
    } else {
      input.discardReadBytes();
    }
  }

  private void checkFrameLength(YamuxHeader h) {
    if (h.type() != YamuxHeader.TYPE_DATA) return;
    YamuxStream s = streams.get(h.streamId());
    long allowed = s != null ? s.receiveWindow : receiveWindowTarget();
    if (h.length() > allowed) {
      throw new DecodeException("yamux_receive_window_exceeded", "stream " + h.streamId() + " length " + h.length() + " window " + allowed);
    }
  }

  private void onFrame(YamuxHeader h, byte[] payload) {
    switch (h.type()) {
      case YamuxHeader.TYPE_PING -> onPing(h);
      case YamuxHeader.TYPE_GO_AWAY -> onGoAway(h);
      default -> onStreamFrame(h, payload);
    }
  }

  private void onStreamFrame(YamuxHeader h, byte[] payload) {
    if (h.streamId() == 0) throw new DecodeException("yamux_stream_zero", "type " + h.type());
    YamuxStream s = streams.get(h.streamId());
    if (h.has(YamuxHeader.FLAG_SYN)) {
      if (s != null) throw new DecodeException("yamux_duplicate_syn", "stream " + h.streamId());
      s = acceptInbound(h.streamId());
      if (s == null) return;
    }
    if (s == null) {
      LOG.debug("yamux frame for unknown stream ignored peer={} stream={} type={}", remotePeer, h.streamId(), h.type());
      return;
    }
    if (h.has(YamuxHeader.FLAG_RST)) {
      resetStream(s, null);
      return;
    }
    if (h.type() == YamuxHeader.TYPE_WINDOW_UPDATE) s.onWindowUpdate(h.length());
    else s.onData(payload);
    if (h.has(YamuxHeader.FLAG_FIN) && !s.terminated()) s.onRemoteFin();
  }

  private YamuxStream acceptInbound(long id) {
    boolean remoteIsClient = nextStreamId % 2 == 0;
    if ((id % 2 == 1) != remoteIsClient || id <= lastRemoteStreamId) {
      throw new DecodeException("yamux_bad_stream_id", "stream " + id);
    }
    lastRemoteStreamId = id;
    if (inboundOpen >= config.yamuxInboundStreamsMax() || closed) {
      LOG.debug("yamux inbound stream refused peer={} stream={} open={}", remotePeer, id, inboundOpen);
      sendFrame(new YamuxHeader(YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_RST, id, 0), null);
      flushChannel();
      return null;
    }
    YamuxStream s = new YamuxStream(this, id, false);
    streams.put(id, s);
    inboundOpen++;
    sendFrame(new YamuxHeader(YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_ACK, id, extraWindow()), null);
    s.receiveWindow = receiveWindowTarget();
    s.startNegotiation(MultistreamSelect.listener(p -> handlers.apply(p) != null, config.mssProposalsMax()), null, null);
    scheduleNegotiationTimeout(s);
    return s;
  }

  /** Opens a stream and negotiates {@code protocol} on it. Any thread. */
  public CompletableFuture<P2pStream> openStream(String protocol, StreamListener listener) {
    CompletableFuture<P2pStream> opened = new CompletableFuture<>();
    loop.execute(() -> {
      if (closed || goAwayReceived) {
        opened.completeExceptionally(new StreamRefusedException("connection to " + remotePeer + " is closing"));
        return;
      }
      if (outboundOpen >= config.yamuxOutboundStreamsMax()) {
        opened.completeExceptionally(new StreamRefusedException("outbound stream limit " + config.yamuxOutboundStreamsMax()));
        return;
      }
      long id = nextStreamId;
      nextStreamId += 2;
      YamuxStream s = new YamuxStream(this, id, true);
      streams.put(id, s);
      outboundOpen++;
      sendFrame(new YamuxHeader(YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_SYN, id, extraWindow()), null);
      s.receiveWindow = receiveWindowTarget();
      s.startNegotiation(MultistreamSelect.dialer(List.of(protocol)), listener, opened);
      scheduleNegotiationTimeout(s);
    });
    return opened;
  }

  private long extraWindow() {
    return receiveWindowTarget() - INITIAL_WINDOW_BYTES;
  }

  private void scheduleNegotiationTimeout(YamuxStream s) {
    loop.schedule(() -> {
      if (s.negotiating() && !s.terminated()) streamFailed(s, "mss_timeout");
    }, config.streamNegotiationTimeoutMillis(), TimeUnit.MILLISECONDS);
  }

  /** The inbound stream agreed a protocol: hand it to its handler. */
  StreamListener accept(YamuxStream s) {
    StreamHandler handler = handlers.apply(s.protocol());
    StreamListener l = null;
    try {
      l = handler == null ? null : handler.onStream(s);
    } catch (RuntimeException e) {
      LOG.warn("stream handler failed peer={} protocol={} error={}", remotePeer, s.protocol(), e.toString());
    }
    if (l == null) resetStream(s, "no_listener");
    return l;
  }

  void streamFailed(YamuxStream s, String reason) {
    LOG.debug("stream negotiation failed peer={} stream={} reason={}", remotePeer, s.id, reason);
    resetStream(s, reason);
  }

  void listenerFailed(YamuxStream s, RuntimeException e) {
    LOG.warn("stream listener failed peer={} protocol={} error={}", remotePeer, s.protocol(), e.toString());
    resetStream(s, "listener_failed");
  }

  /** Resets a stream; {@code reason} null means the remote reset it (no RST back). */
  void resetStream(YamuxStream s, String reason) {
    if (s.terminated()) return;
    if (reason != null && !closed) {
      sendFrame(new YamuxHeader(YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_RST, s.id, 0), null);
      flushChannel();
    }
    remove(s);
    s.terminate(true);
  }

  void finished(YamuxStream s) {
    remove(s);
    s.terminate(false);
  }

  private void remove(YamuxStream s) {
    if (streams.remove(s.id) == null) return;
    if (s.outbound()) outboundOpen--; else inboundOpen--;
  }

  private void onPing(YamuxHeader h) {
    if (h.has(YamuxHeader.FLAG_SYN)) {
      sendFrame(new YamuxHeader(YamuxHeader.TYPE_PING, YamuxHeader.FLAG_ACK, 0, h.length()), null);
      flushChannel();
    } else if (h.has(YamuxHeader.FLAG_ACK) && pingSentNanos >= 0 && h.length() == pingOpaque) {
      rttMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pingSentNanos);
      pingSentNanos = -1;
    }
  }

  private void keepAlivePing() {
    if (closed) return;
    if (pingSentNanos >= 0) {
      transport.close("yamux_ping_timeout");
      return;
    }
    pingOpaque = (pingOpaque + 1) & 0xFFFF_FFFFL;
    pingSentNanos = System.nanoTime();
    sendFrame(new YamuxHeader(YamuxHeader.TYPE_PING, YamuxHeader.FLAG_SYN, 0, pingOpaque), null);
    flushChannel();
  }

  private void onGoAway(YamuxHeader h) {
    goAwayReceived = true;
    if (h.length() != YamuxHeader.GO_AWAY_NORMAL) {
      transport.close("yamux_go_away code=" + h.length());
    } else {
      LOG.debug("yamux go away peer={}", remotePeer);
    }
  }

  /** Sends GoAway and stops; the connection closes next. */
  public void goAway(int code) {
    if (closed) return;
    sendFrame(new YamuxHeader(YamuxHeader.TYPE_GO_AWAY, 0, 0, code), null);
    flushChannel();
  }

  /** The connection ended: every stream is reset. Event loop. */
  public void closed() {
    if (closed) return;
    closed = true;
    if (keepAlive != null) keepAlive.cancel(false);
    for (YamuxStream s : List.copyOf(streams.values())) s.terminate(true);
    streams.clear();
    input.release();
  }

  /**
   * Data frames wait while the socket is above its high-water mark (streams check {@link #writable}); control
   * frames (ping and SYN answers, window updates, resets) cannot wait, so they are what a peer that sends
   * but never reads would pile up. Once the unsent bytes pass {@code outboundBacklogBytesMax} such a frame
   * closes the connection instead of growing the buffer.
   */
  void sendFrame(YamuxHeader h, ByteBuf payload) {
    if (closed || backlogExceeded) {
      if (payload != null) payload.release();
      return;
    }
    if (payload == null && transport.pendingWriteBytes() > config.outboundBacklogBytesMax()) {
      backlogExceeded = true;
      transport.close("yamux_outbound_backlog pending_bytes=" + transport.pendingWriteBytes()
          + " limit=" + config.outboundBacklogBytesMax());
      return;
    }
    ByteBuf buf = Unpooled.buffer(YamuxHeader.BYTES + (payload == null ? 0 : payload.readableBytes()));
    h.write(buf);
    if (payload != null) {
      buf.writeBytes(payload);
      payload.release();
    }
    transport.send(buf);
  }

  void flushChannel() {
    if (!closed) transport.flush();
  }

  void execute(Runnable r) {
    if (loop.inEventLoop()) r.run(); else loop.execute(r);
  }

  long receiveWindowTarget() {
    return config.yamuxWindowBytes();
  }

  long sendWindowMax() {
    return config.yamuxSendWindowBytesMax();
  }

  long writeQueueBytesMax() {
    return config.streamWriteQueueBytesMax();
  }

  boolean writable() {
    return transport.writable();
  }

  /** The socket drained below its low-water mark: streams send what they held back. Event loop. */
  public void resumeWrites() {
    for (YamuxStream s : List.copyOf(streams.values())) {
      if (!transport.writable()) return;
      s.flush();
    }
  }

  public int openStreams() {
    return streams.size();
  }
}
