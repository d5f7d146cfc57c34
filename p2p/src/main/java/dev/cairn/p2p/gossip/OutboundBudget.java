package dev.cairn.p2p.gossip;

/**
 * The count behind {@link GossipOutbound}: bytes of gossip RPCs queued for all peers and not yet sent. A peer's
 * {@link PeerStreams} {@linkplain #reserve reserves} a frame's bytes before it queues the frame and
 * {@linkplain #release releases} them once its stream has sent them, or when the frame or the peer is gone.
 * A frame is refused if the total would pass its priority's {@linkplain OutboundPriority#ceiling ceiling}.
 * Thread-safe; a leaf lock (taken under a {@code PeerStreams} lock, never the other way round).
 */
final class OutboundBudget {
  private final long bytesMax;
  private long bytes;

  OutboundBudget(long bytesMax) {
    if (bytesMax < 1) {
      throw new IllegalArgumentException("bytesMax must be positive: " + bytesMax);
    }
    this.bytesMax = bytesMax;
  }

  /** A budget that never refuses (a service without a node-wide bound, and tests of other parts). */
  static OutboundBudget unbounded() {
    return new OutboundBudget(Long.MAX_VALUE);
  }

  synchronized boolean reserve(int size, OutboundPriority priority) {
    if (size > priority.ceiling(bytesMax) - bytes) {
      return false;
    }
    bytes += size;
    return true;
  }

  synchronized void release(long size) {
    if (size < 0 || size > bytes) {
      throw new IllegalStateException("releasing " + size + " bytes of " + bytes + " reserved");
    }
    bytes -= size;
  }

  synchronized long bytes() {
    return bytes;
  }

  long bytesMax() {
    return bytesMax;
  }
}
