package dev.cairn.p2p.host;

import dev.cairn.p2p.P2pConfig;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.identity.PeerId;
import dev.cairn.p2p.mss.MultistreamSelect;
import dev.cairn.p2p.noise.HandshakePayload;
import dev.cairn.p2p.noise.NoiseFrames;
import dev.cairn.p2p.noise.NoiseXX;
import dev.cairn.p2p.noise.TransportCiphers;
import dev.cairn.p2p.wire.DecodeException;
import dev.cairn.p2p.yamux.YamuxHeader;
import dev.cairn.p2p.yamux.YamuxSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrades one TCP connection and then carries it: multistream-select for {@code /noise}, the Noise XX
 * handshake (authenticating the remote peer ID), the connection gater, multistream-select for
 * {@code /yamux/1.0.0} inside the encrypted channel, then Yamux. The TCP dialer is initiator at every step.
 * Malformed input closes this connection with a logged reason; nothing is thrown into the pipeline.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter implements YamuxSession.Transport {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);
  static final String NOISE = "/noise";
  static final String YAMUX = "/yamux/1.0.0";
  private static final SecureRandom RANDOM = new SecureRandom();

  private enum Stage { SECURITY_MSS, NOISE, MUXER_MSS, YAMUX, CLOSED }

  private final HostContext host;
  private final boolean initiator;
  private final PeerId expectedPeer;
  private final ByteBuf raw = Unpooled.buffer();
  private final ByteBuf plain = Unpooled.buffer();
  private Stage stage = Stage.SECURITY_MSS;
  private ChannelHandlerContext ctx;
  private MultistreamSelect mss;
  private NoiseXX noise;
  private TransportCiphers ciphers;
  private PeerId remotePeer;
  private Multiaddr remoteAddress;
  private ScheduledFuture<?> handshakeTimeout;
  private Connection connection;
  private boolean responderSentMessage2;
  private String lastReason = "remote_closed";

  private final java.util.concurrent.CompletableFuture<Connection> ready;
  private final ConnectionAdmission.Ticket ticket;

  ConnectionHandler(HostContext host, boolean initiator, PeerId expectedPeer,
      java.util.concurrent.CompletableFuture<Connection> ready, ConnectionAdmission.Ticket ticket) {
    this.host = host;
    this.ticket = ticket;
    this.ready = ready == null ? new java.util.concurrent.CompletableFuture<>() : ready;
    this.initiator = initiator;
    this.expectedPeer = expectedPeer;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    remoteAddress = Multiaddr.of((InetSocketAddress) ctx.channel().remoteAddress());
    P2pConfig config = host.config();
    handshakeTimeout = ctx.executor().schedule(() -> close("handshake_timeout"), config.handshakeTimeoutMillis(), TimeUnit.MILLISECONDS);
    mss = initiator ? MultistreamSelect.dialer(List.of(NOISE)) : MultistreamSelect.listener(NOISE::equals, config.mssProposalsMax());
    ByteBuf out = ctx.alloc().buffer();
    mss.start(out);
    writeRaw(out);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    try {
      if (stage == Stage.CLOSED) return;
      raw.writeBytes(in);
      process();
      if (stage != Stage.CLOSED) raw.discardReadBytes();
    } catch (DecodeException e) {
      close(e.reason() + " detail=\"" + e.getMessage() + "\"");
    } catch (RuntimeException e) {
      LOG.error("p2p connection failed peer={} addr={} stage={}", remotePeer, remoteAddress, stage, e);
      close("internal_error");
    } finally {
      in.release();
    }
  }

  private void process() {
    if (stage == Stage.SECURITY_MSS) {
      ByteBuf out = ctx.alloc().buffer();
      MultistreamSelect.Outcome o = mss.onInput(raw, out);
      writeRaw(out);
      switch (o) {
        case MultistreamSelect.Outcome.Pending p -> { return; }
        case MultistreamSelect.Outcome.Failed f -> { close(f.reason()); return; }
        case MultistreamSelect.Outcome.Selected s -> startNoise();
      }
    }
    while (stage == Stage.NOISE) {
      byte[] frame = NoiseFrames.tryRead(raw);
      if (frame == null) return;
      onHandshakeMessage(frame);
    }
    while (stage == Stage.MUXER_MSS || stage == Stage.YAMUX) {
      if (!decryptFrame()) break;
      if (stage == Stage.MUXER_MSS) negotiateMuxer();
      if (stage == Stage.YAMUX && plain.isReadable()) {
        connection.session().onBytes(plain);
        plain.clear();
      }
    }
    // Answers produced while reading (window updates, pings, stream ACKs) go out once per read.
    if (stage == Stage.YAMUX) ctx.flush();
  }

  /**
   * Decrypts one complete transport frame from {@code raw} straight into {@code plain} (both heap buffers:
   * no per-frame arrays), or returns false when no complete frame is buffered.
   */
  private boolean decryptFrame() {
    if (raw.readableBytes() < 2) return false;
    int len = raw.getUnsignedShort(raw.readerIndex());
    if (raw.readableBytes() < 2 + len) return false;
    if (len < TransportCiphers.TAG_BYTES) throw new DecodeException("noise_short_ciphertext", len + " bytes");
    plain.ensureWritable(len - TransportCiphers.TAG_BYTES);
    int n = ciphers.decryptInto(raw.array(), raw.arrayOffset() + raw.readerIndex() + 2, len, plain.array(),
        plain.arrayOffset() + plain.writerIndex());
    raw.skipBytes(2 + len);
    plain.writerIndex(plain.writerIndex() + n);
    return true;
  }

  private void startNoise() {
    stage = Stage.NOISE;
    noise = new NoiseXX(initiator, NoiseXX.generateStaticKey(RANDOM), RANDOM);
    if (initiator) sendHandshake(noise.writeMessage1());
  }

  private void onHandshakeMessage(byte[] msg) {
    byte[] payload = HandshakePayload.create(host.key(), noise.staticPublicKey(), host.binding());
    if (!initiator && !responderSentMessage2) {
      noise.readMessage1(msg);
      responderSentMessage2 = true;
      sendHandshake(noise.writeMessage2(payload));
      return;
    }
    if (initiator) {
      if (!admit(HandshakePayload.verify(noise.readMessage2(msg), noise.remoteStaticKey()))) return;
      sendHandshake(noise.writeMessage3(payload));
    } else {
      if (!admit(HandshakePayload.verify(noise.readMessage3(msg), noise.remoteStaticKey()))) return;
    }
    ciphers = noise.split();
    noise = null;
    stage = Stage.MUXER_MSS;
    mss = initiator ? MultistreamSelect.dialer(List.of(YAMUX)) : MultistreamSelect.listener(YAMUX::equals, host.config().mssProposalsMax());
    ByteBuf out = Unpooled.buffer();
    mss.start(out);
    send(out);
    flush();
  }

  /**
   * After Noise authenticated the remote: the gater must allow it (checking the binding it presented), and a
   * dialed /p2p ID must be its peer ID or, for an entry written before p2p keys, the ID of the key it is bound to.
   */
  private boolean admit(HandshakePayload.Verified verified) {
    remotePeer = verified.peer();
    if (remotePeer.equals(host.key().peerId())) {
      close("self_connection");
      return false;
    }
    if (host.gater().decide(remotePeer, verified.identity(), verified.binding()) instanceof ConnectionGater.Decision.Refused refused) {
      String reason = refused.reason().name().toLowerCase(java.util.Locale.ROOT);
      lastReason = "peer_not_allowed reason=" + reason;
      // Counted in the host's p2p_inbound_refused summary: an outsider must not be able to flood the log.
      LOG.debug("p2p peer refused by gater reason={} peer={} addr={} direction={}", reason, remotePeer, remoteAddress,
          initiator ? "outbound" : "inbound");
      ticket.refusedByGater(refused.reason(), String.valueOf(remotePeer));
      closeQuietly();
      return false;
    }
    if (expectedPeer != null && !expectedPeer.equals(remotePeer)
        && !host.gater().boundKey(remotePeer).map(PeerId::fromPublicKey).map(expectedPeer::equals).orElse(false)) {
      close("peer_id_mismatch expected=" + expectedPeer);
      return false;
    }
    InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
    if (!ticket.authenticated(remote == null ? null : remote.getAddress())) {
      lastReason = "connections_max";
      LOG.warn("p2p connection refused reason=connections_max peer={} addr={} limit={}", remotePeer, remoteAddress,
          host.config().connectionsMax());
      closeQuietly();
      return false;
    }
    return true;
  }

  private void negotiateMuxer() {
    ByteBuf out = Unpooled.buffer();
    MultistreamSelect.Outcome o = mss.onInput(plain, out);
    if (out.isReadable()) {
      send(out);
      flush();
    } else {
      out.release();
    }
    switch (o) {
      case MultistreamSelect.Outcome.Pending p -> { }
      case MultistreamSelect.Outcome.Failed f -> close(f.reason());
      case MultistreamSelect.Outcome.Selected s -> {
        stage = Stage.YAMUX;
        mss = null;
        handshakeTimeout.cancel(false);
        plain.discardReadBytes();
        YamuxSession session = new YamuxSession(this, ctx.channel().eventLoop(), host.config(), initiator, remotePeer, host::handler,
            host.traffic());
        connection = new Connection(remotePeer, remoteAddress, initiator, session, ctx.channel());
        session.start();
        host.established(connection);
        ready.complete(connection);
      }
    }
  }

  private void sendHandshake(byte[] msg) {
    ByteBuf out = ctx.alloc().buffer(2 + msg.length);
    NoiseFrames.write(out, msg);
    writeRaw(out);
  }

  private void writeRaw(ByteBuf out) {
    if (out.isReadable()) ctx.writeAndFlush(out); else out.release();
  }

  /**
   * Encrypts plaintext into Noise transport frames of at most 65519 plaintext bytes each, straight from the
   * plaintext buffer's array into each frame's array (heap buffers; the socket write copies once to direct).
   */
  @Override
  public void send(ByteBuf plaintext) {
    try {
      if (stage == Stage.CLOSED || ciphers == null || !plaintext.isReadable()) return;
      if (!plaintext.hasArray()) {
        ByteBuf heap = Unpooled.buffer(plaintext.readableBytes());
        heap.writeBytes(plaintext);
        plaintext.release();
        plaintext = heap;
      }
      byte[] in = plaintext.array();
      int off = plaintext.arrayOffset() + plaintext.readerIndex();
      int end = off + plaintext.readableBytes();
      do {
        int n = Math.min(TransportCiphers.PLAINTEXT_BYTES_MAX, end - off);
        ByteBuf frame = ctx.alloc().heapBuffer(2 + n + TransportCiphers.TAG_BYTES);
        frame.writeShort(n + TransportCiphers.TAG_BYTES);
        int ct = ciphers.encryptInto(in, off, n, frame.array(), frame.arrayOffset() + frame.writerIndex());
        frame.writerIndex(frame.writerIndex() + ct);
        ctx.write(frame, ctx.voidPromise());
        off += n;
      } while (off < end);
    } finally {
      plaintext.release();
    }
  }

  @Override
  public boolean writable() {
    return ctx.channel().isWritable();
  }

  @Override
  public long pendingWriteBytes() {
    io.netty.channel.ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (stage == Stage.YAMUX && ctx.channel().isWritable()) connection.session().resumeWrites();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void flush() {
    if (stage != Stage.CLOSED) ctx.flush();
  }

  /** Closes for a protocol reason: logged with the peer and address, GoAway(protocol error) when muxed. */
  @Override
  public void close(String reason) {
    if (stage == Stage.CLOSED) return;
    lastReason = reason;
    if (remotePeer == null && !initiator) {
      // Not authenticated: counted as an abandoned handshake in the host's summary line instead.
      LOG.debug("p2p connection closed reason={} addr={} direction=inbound", reason, remoteAddress);
    } else {
      LOG.warn("p2p connection closed reason={} peer={} addr={} direction={}", reason, remotePeer, remoteAddress,
          initiator ? "outbound" : "inbound");
    }
    if (connection != null) connection.session().goAway(YamuxHeader.GO_AWAY_PROTOCOL_ERROR);
    closeQuietly();
  }

  /** Closes on request (stop, gater): GoAway(normal) when muxed. */
  void closeNormally() {
    if (stage == Stage.CLOSED) return;
    if (connection != null) connection.session().goAway(YamuxHeader.GO_AWAY_NORMAL);
    closeQuietly();
  }

  private void closeQuietly() {
    stage = Stage.CLOSED;
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (stage != Stage.CLOSED && stage != Stage.YAMUX && (remotePeer != null || initiator)) {
      LOG.info("p2p connection lost during handshake peer={} addr={} stage={}", remotePeer, remoteAddress, stage);
    }
    stage = Stage.CLOSED;
    ready.completeExceptionally(new dev.cairn.p2p.StreamRefusedException("connection closed during upgrade: " + lastReason));
    if (handshakeTimeout != null) handshakeTimeout.cancel(false);
    raw.release();
    plain.release();
    if (connection != null) {
      connection.session().closed();
      host.disconnected(connection);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (stage == Stage.CLOSED) return;
    if (remotePeer == null && !initiator) {
      LOG.debug("p2p connection error addr={} error=\"{}\"", remoteAddress, cause.toString());
    } else {
      LOG.info("p2p connection error peer={} addr={} error=\"{}\"", remotePeer, remoteAddress, cause.toString());
    }
    closeQuietly();
  }
}
