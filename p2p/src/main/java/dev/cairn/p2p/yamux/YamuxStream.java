package dev.cairn.p2p.yamux;

import dev.cairn.p2p.P2pStream;
import dev.cairn.p2p.StreamListener;
import dev.cairn.p2p.StreamRefusedException;
import dev.cairn.p2p.identity.PeerId;
import dev.cairn.p2p.mss.MultistreamSelect;
import dev.cairn.p2p.wire.DecodeException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Yamux stream. All state is touched on the session's event loop only; the public {@link P2pStream}
 * methods hop onto it. Until multistream-select has picked a protocol, inbound bytes feed the negotiation.
 */
final class YamuxStream implements P2pStream {
  private final YamuxSession session;
  final long id;
  private final boolean outbound;
  private final AtomicLong queuedBytes = new AtomicLong();
  private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
  private int pendingOffset;
  private volatile String protocol;
  private volatile boolean closed; // write side closed or stream reset: writes refused
  private MultistreamSelect negotiation;
  private ByteBuf negotiationInput;
  private StreamListener listener;
  private CompletableFuture<P2pStream> opened;
  long sendWindow = YamuxSession.INITIAL_WINDOW_BYTES;
  long receiveWindow = YamuxSession.INITIAL_WINDOW_BYTES;
  private long consumedSinceUpdate;
  private boolean finPending;
  private boolean finSent;
  boolean remoteClosed;
  private boolean terminated;

  YamuxStream(YamuxSession session, long id, boolean outbound) {
    this.session = session;
    this.id = id;
    this.outbound = outbound;
  }

  void startNegotiation(MultistreamSelect mss, StreamListener listener, CompletableFuture<P2pStream> opened) {
    this.negotiation = mss;
    this.negotiationInput = Unpooled.buffer();
    this.listener = listener;
    this.opened = opened;
    ByteBuf out = Unpooled.buffer();
    mss.start(out);
    sendRaw(out);
  }

  boolean negotiating() {
    return negotiation != null;
  }

  /** Bytes from a Data frame, already checked against the receive window. */
  void onData(byte[] bytes) {
    receiveWindow -= bytes.length;
    if (negotiation != null) {
      negotiationInput.writeBytes(bytes);
      ByteBuf out = Unpooled.buffer();
      MultistreamSelect.Outcome o;
      try {
        o = negotiation.onInput(negotiationInput, out);
      } catch (DecodeException e) {
        out.release();
        session.streamFailed(this, e.reason());
        return;
      }
      if (out.isReadable()) sendRaw(out); else out.release();
      switch (o) {
        case MultistreamSelect.Outcome.Pending p -> { }
        case MultistreamSelect.Outcome.Failed f -> session.streamFailed(this, f.reason());
        case MultistreamSelect.Outcome.Selected s -> selected(s.protocol());
      }
    } else if (listener != null && bytes.length > 0) {
      session.traffic().received(protocol, bytes.length);
      deliver(bytes);
      if (listener.creditsWhenConsumed()) return; // the listener returns the credit once it drained them
    }
    credit(bytes.length);
  }

  private void selected(String agreed) {
    this.protocol = agreed;
    negotiation = null;
    byte[] rest = new byte[negotiationInput.readableBytes()];
    negotiationInput.readBytes(rest);
    negotiationInput.release();
    negotiationInput = null;
    if (outbound) {
      opened.complete(this);
    } else {
      listener = session.accept(this);
      if (listener == null) return; // session reset it
    }
    if (rest.length > 0) {
      session.traffic().received(agreed, rest.length);
      deliver(rest);
    }
    if (remoteClosed) notifyRemoteClosed();
  }

  private void deliver(byte[] bytes) {
    try {
      listener.onData(this, bytes);
    } catch (RuntimeException e) {
      session.listenerFailed(this, e);
    }
  }

  /**
   * Returns credit for {@code n} processed bytes, in one WindowUpdate per half window. The delta is what was
   * consumed, not what the window lacks: bytes received but not yet consumed stay off the window.
   */
  private void credit(int n) {
    consumedSinceUpdate += n;
    long target = session.receiveWindowTarget();
    if (!terminated && !remoteClosed && consumedSinceUpdate >= target / 2) {
      long delta = Math.min(consumedSinceUpdate, target - receiveWindow);
      receiveWindow += delta;
      consumedSinceUpdate = 0;
      if (delta > 0) session.sendFrame(new YamuxHeader(YamuxHeader.TYPE_WINDOW_UPDATE, 0, id, delta), null);
    }
  }

  void onRemoteFin() {
    remoteClosed = true;
    if (negotiation == null) notifyRemoteClosed();
    maybeFinish();
  }

  private void notifyRemoteClosed() {
    if (listener == null) return;
    try {
      listener.onRemoteClosed(this);
    } catch (RuntimeException e) {
      session.listenerFailed(this, e);
    }
  }

  /**
   * Terminal: called once by the session. {@code reset} is false for a stream both sides closed cleanly
   * (the listener has already seen onRemoteClosed), true for a reset or a lost connection.
   */
  void terminate(boolean reset) {
    if (terminated) return;
    terminated = true;
    closed = true;
    pending.clear();
    queuedBytes.set(0);
    if (negotiationInput != null) {
      negotiationInput.release();
      negotiationInput = null;
    }
    if (opened != null && !opened.isDone()) {
      opened.completeExceptionally(new StreamRefusedException("stream " + id + " closed before negotiation"));
    }
    // Only a negotiated stream was handed to its listener. An outbound stream that failed negotiation is
    // reported once, through its failed open future: telling the listener too made the two notifications race
    // (a requester saw "reset" instead of "protocol not supported" when it had not yet subscribed to the future).
    if (reset && listener != null && protocol != null) {
      try {
        listener.onReset(this);
      } catch (RuntimeException e) {
        // the stream is already gone; nothing more to reset
      }
    }
  }

  boolean terminated() {
    return terminated;
  }

  // ---- sending, on the event loop ----

  private void sendRaw(ByteBuf bytes) {
    byte[] b = new byte[bytes.readableBytes()];
    bytes.readBytes(b);
    bytes.release();
    queuedBytes.addAndGet(b.length); // flush() subtracts every byte it sends
    pending.add(b);
    flush();
  }

  void flush() {
    if (terminated) return;
    boolean wrote = false;
    while (!pending.isEmpty() && sendWindow > 0 && session.writable()) {
      byte[] head = pending.peek();
      int n = (int) Math.min(Math.min(head.length - pendingOffset, sendWindow), YamuxSession.DATA_FRAME_BYTES_MAX);
      ByteBuf payload = Unpooled.wrappedBuffer(head, pendingOffset, n);
      session.sendFrame(new YamuxHeader(YamuxHeader.TYPE_DATA, 0, id, n), payload);
      wrote = true;
      if (protocol != null) session.traffic().sent(protocol, n); // negotiation bytes are not a protocol's
      sendWindow -= n;
      pendingOffset += n;
      if (pendingOffset == head.length) {
        pending.poll();
        pendingOffset = 0;
      }
      queuedBytes.addAndGet(-n);
    }
    if (finPending && !finSent && pending.isEmpty()) {
      finSent = true;
      session.sendFrame(new YamuxHeader(YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_FIN, id, 0), null);
      wrote = true;
      maybeFinish();
    }
    if (wrote) session.flushChannel();
  }

  void onWindowUpdate(long delta) {
    sendWindow += delta;
    if (sendWindow > session.sendWindowMax()) {
      throw new DecodeException("yamux_window_overflow", "stream " + id + " window " + sendWindow);
    }
    flush();
  }

  private void maybeFinish() {
    if (finSent && remoteClosed) session.finished(this);
  }

  // ---- P2pStream, any thread ----

  @Override
  public PeerId remotePeer() {
    return session.remotePeer();
  }

  @Override
  public String protocol() {
    return protocol;
  }

  @Override
  public boolean outbound() {
    return outbound;
  }

  @Override
  public WriteResult write(byte[] bytes) {
    return enqueue(bytes, false);
  }

  @Override
  public WriteResult writeOwned(byte[] bytes) {
    return enqueue(bytes, true);
  }

  private WriteResult enqueue(byte[] bytes, boolean owned) {
    if (closed) return WriteResult.CLOSED;
    int length = bytes.length;
    if (length == 0) return WriteResult.QUEUED;
    long after = queuedBytes.addAndGet(length);
    if (after > session.writeQueueBytesMax()) {
      queuedBytes.addAndGet(-length);
      return WriteResult.QUEUE_FULL;
    }
    byte[] copy = owned ? bytes : bytes.clone();
    session.execute(() -> {
      if (terminated || finPending) return;
      pending.add(copy);
      flush();
    });
    return WriteResult.QUEUED;
  }

  @Override
  public long queuedBytes() {
    return queuedBytes.get();
  }

  @Override
  public void consumed(int bytes) {
    if (bytes > 0) session.execute(() -> credit(bytes));
  }

  @Override
  public void closeWrite() {
    closed = true;
    session.execute(() -> {
      if (terminated || finPending) return;
      finPending = true;
      flush();
    });
  }

  @Override
  public void reset() {
    closed = true;
    session.execute(() -> session.resetStream(this, "local_reset"));
  }

  @Override
  public String toString() {
    return "stream[id=" + id + " protocol=" + protocol + " peer=" + session.remotePeer() + "]";
  }
}
