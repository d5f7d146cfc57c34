package dev.cairn.p2p.gossip;

import dev.cairn.p2p.identity.PeerId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of received RPCs waiting for the router thread, bounded in total and per peer: Netty event loops
 * {@link #reserve} before they queue an RPC and the router {@link #release}s it once handled. A peer that
 * floods fills only its own share; what does not fit is dropped (gossip recovers lost messages through
 * IHAVE/IWANT) and counted. Thread-safe.
 */
final class InboundBudget {
  private final long bytesMax;
  private final long bytesPerPeerMax;
  private final AtomicLong bytes = new AtomicLong();
  private final Map<PeerId, AtomicLong> byPeer = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();

  InboundBudget(long bytesMax, long bytesPerPeerMax) {
    if (bytesPerPeerMax < 1 || bytesMax < bytesPerPeerMax) {
      throw new IllegalArgumentException("need 1 <= bytesPerPeerMax <= bytesMax");
    }
    this.bytesMax = bytesMax;
    this.bytesPerPeerMax = bytesPerPeerMax;
  }

  boolean reserve(PeerId peer, int size) {
    AtomicLong mine = byPeer.computeIfAbsent(peer, p -> new AtomicLong());
    if (mine.addAndGet(size) > bytesPerPeerMax) {
      mine.addAndGet(-size);
      dropped.incrementAndGet();
      return false;
    }
    if (bytes.addAndGet(size) > bytesMax) {
      bytes.addAndGet(-size);
      mine.addAndGet(-size);
      dropped.incrementAndGet();
      return false;
    }
    return true;
  }

  void release(PeerId peer, int size) {
    bytes.addAndGet(-size);
    byPeer.computeIfPresent(peer, (p, mine) -> mine.addAndGet(-size) <= 0 ? null : mine);
  }

  long bytes() {
    return bytes.get();
  }

  long dropped() {
    return dropped.get();
  }
}
