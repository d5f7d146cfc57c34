package dev.cairn.p2p.gossip;

import dev.cairn.p2p.P2pStream;
import java.util.ArrayDeque;

/**
 * The two pubsub streams of one peer: the one we opened (we only send on it) and the one the peer opened (we
 * only read from it). RPCs the router sends before our stream is negotiated wait here, bounded.
 */
final class PeerStreams {
  private P2pStream outbound;
  private P2pStream inbound;
  private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
  private long pendingBytes;
  private boolean opening;
  private int reopens;
  /** A peer that keeps resetting our stream is not worth more attempts; the next connection starts afresh. */
  static final int REOPENS_MAX = 3;

  /** Outcome of {@link #send}. */
  enum Sent {
    SENT,
    PENDING,
    FULL,
    CLOSED
  }

  synchronized boolean startOpening() {
    if (outbound != null || opening) {
      return false;
    }
    opening = true;
    return true;
  }

  synchronized void openFailed() {
    opening = false;
    pending.clear();
    pendingBytes = 0;
  }

  /** Our stream is up: flush what waited, in order. Returns false if the stream refused the backlog. */
  synchronized boolean opened(P2pStream stream) {
    opening = false;
    outbound = stream;
    boolean ok = true;
    while (!pending.isEmpty()) {
      ok &= stream.write(pending.pollFirst()) == P2pStream.WriteResult.QUEUED;
    }
    pendingBytes = 0;
    return ok;
  }

  /** Our stream ended under us; returns true if it should be opened again. */
  synchronized boolean outboundClosed(P2pStream stream) {
    if (outbound != stream) {
      return false;
    }
    outbound = null;
    return ++reopens <= REOPENS_MAX;
  }

  /** Replaces the peer's inbound stream (a new one supersedes the old); returns the old one, if any. */
  synchronized P2pStream inbound(P2pStream stream) {
    P2pStream old = inbound;
    inbound = stream;
    return old;
  }

  synchronized boolean isCurrentInbound(P2pStream stream) {
    return inbound == stream;
  }

  synchronized Sent send(byte[] frame, int pendingMax, long queueBytesMax) {
    if (outbound == null) {
      if (pending.size() >= pendingMax || pendingBytes + frame.length > queueBytesMax) {
        return Sent.FULL;
      }
      pending.addLast(frame);
      pendingBytes += frame.length;
      return Sent.PENDING;
    }
    if (outbound.queuedBytes() + frame.length > queueBytesMax) {
      return Sent.FULL;
    }
    return switch (outbound.write(frame)) {
      case QUEUED -> Sent.SENT;
      case QUEUE_FULL -> Sent.FULL;
      case CLOSED -> Sent.CLOSED;
    };
  }

  synchronized void resetAll() {
    if (outbound != null) {
      outbound.reset();
      outbound = null;
    }
    if (inbound != null) {
      inbound.reset();
      inbound = null;
    }
    pending.clear();
    pendingBytes = 0;
  }
}
