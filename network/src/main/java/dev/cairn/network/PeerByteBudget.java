package dev.cairn.network;

import dev.cairn.p2p.identity.PeerId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of gossiped messages waiting for (or in) an off-router check, bounded in total and per relaying peer:
 * a caller {@link #reserve}s before it queues a message and {@link #release}s once the check is done. One
 * peer's flood fills only its own share; what does not fit is refused and counted. Thread-safe.
 */
final class PeerByteBudget {
  private final long bytesMax;
  private final long bytesPerPeerMax;
  private final AtomicLong bytes = new AtomicLong();
  private final Map<PeerId, AtomicLong> byPeer = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();

  PeerByteBudget(long bytesMax, long bytesPerPeerMax) {
    if (bytesPerPeerMax < 1 || bytesMax < bytesPerPeerMax) {
      throw new IllegalArgumentException("need 1 <= bytesPerPeerMax <= bytesMax");
    }
    this.bytesMax = bytesMax;
    this.bytesPerPeerMax = bytesPerPeerMax;
  }

  boolean reserve(PeerId peer, long size) {
    AtomicLong mine = byPeer.computeIfAbsent(peer, p -> new AtomicLong());
    if (mine.addAndGet(size) > bytesPerPeerMax) {
      mine.addAndGet(-size);
      refused.incrementAndGet();
      return false;
    }
    if (bytes.addAndGet(size) > bytesMax) {
      bytes.addAndGet(-size);
      mine.addAndGet(-size);
      refused.incrementAndGet();
      return false;
    }
    return true;
  }

  void release(PeerId peer, long size) {
    bytes.addAndGet(-size);
    byPeer.computeIfPresent(peer, (p, mine) -> mine.addAndGet(-size) <= 0 ? null : mine);
  }

  long bytes() {
    return bytes.get();
  }

  long refused() {
    return refused.get();
  }
}
