package dev.cairn.p2p.gossip;

import dev.cairn.p2p.P2pStream;
import java.util.ArrayDeque;

/**
 * The two pubsub streams of one peer: the one we opened (we only send on it) and the one the peer opened (we
 * only read from it). RPCs the router sends before our stream is negotiated wait here, bounded. What this
 * peer holds unsent is also charged to the node-wide {@link OutboundBudget}: each frame is reserved before it
 * is queued, and {@link #reconcile} gives back what the stream has sent since (or dropped with the stream).
 */
final class PeerStreams {
  private final OutboundBudget budget;
  /** Bytes of the budget this peer holds: never less than what it has unsent of our frames. */
  private long charged;
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
    /** This peer's queue is full. */
    FULL,
    /** The node-wide budget has no room left at the frame's priority. */
    BUDGET_FULL,
    CLOSED
  }

  PeerStreams(OutboundBudget budget) {
    this.budget = budget;
  }

  /** A peer outside any node-wide budget (tests of the per-peer bounds). */
  PeerStreams() {
    this(OutboundBudget.unbounded());
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
    reconcile();
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
    reconcile(); // frames the stream refused are gone
    return ok;
  }

  /** Our stream ended under us; returns true if it should be opened again. */
  synchronized boolean outboundClosed(P2pStream stream) {
    if (outbound != stream) {
      return false;
    }
    outbound = null;
    reconcile(); // what it still held is lost with it
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

  /** As {@link #send(byte[], int, long, OutboundPriority)} at the highest priority. */
  synchronized Sent send(byte[] frame, int pendingMax, long queueBytesMax) {
    return send(frame, pendingMax, queueBytesMax, OutboundPriority.HIGH);
  }

  /**
   * Queues one frame within this peer's bounds ({@code pendingMax} frames before the stream opens,
   * {@code queueBytesMax} bytes) and the node-wide budget at {@code priority}.
   */
  synchronized Sent send(byte[] frame, int pendingMax, long queueBytesMax, OutboundPriority priority) {
    reconcile();
    if (outbound == null) {
      if (pending.size() >= pendingMax || pendingBytes + frame.length > queueBytesMax) {
        return Sent.FULL;
      }
      if (!budget.reserve(frame.length, priority)) {
        return Sent.BUDGET_FULL;
      }
      charged += frame.length;
      pending.addLast(frame);
      pendingBytes += frame.length;
      return Sent.PENDING;
    }
    if (outbound.queuedBytes() + frame.length > queueBytesMax) {
      return Sent.FULL;
    }
    if (!budget.reserve(frame.length, priority)) {
      return Sent.BUDGET_FULL;
    }
    Sent sent = switch (outbound.write(frame)) {
      case QUEUED -> Sent.SENT;
      case QUEUE_FULL -> Sent.FULL;
      case CLOSED -> Sent.CLOSED;
    };
    if (sent == Sent.SENT) {
      charged += frame.length;
    } else {
      budget.release(frame.length);
    }
    return sent;
  }

  /**
   * Gives back to the budget what this peer no longer holds unsent: bytes its stream has written to the
   * connection, and frames dropped with a stream. Only ever lowers the charge (bytes the stream queued
   * besides our frames, such as protocol negotiation, were never charged).
   */
  synchronized void reconcile() {
    long unsent = pendingBytes + (outbound == null ? 0 : outbound.queuedBytes());
    if (charged > unsent) {
      budget.release(charged - unsent);
      charged = unsent;
    }
  }

  /** Bytes of the node-wide budget this peer holds. */
  synchronized long charged() {
    return charged;
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
    budget.release(charged);
    charged = 0;
  }
}
