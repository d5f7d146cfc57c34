package dev.cairn.network;

import java.util.HashMap;
import java.util.Map;

/**
 * How far a state sync trusts each peer to serve chunks. A peer starts at 0, gains {@link #GOOD_CHUNK} per chunk
 * that verifies (up to {@link #CREDIT_MAX}, so past service buys a few failures, not impunity), loses
 * {@link #FAILED_REQUEST} per timeout, refusal or malformed answer, and {@link #BAD_CHUNK} for a chunk that
 * does not verify (a forged state or a forged root: always enough to drop it). At or below {@link #DROP_AT}
 * it is not asked again in this sync. Not thread-safe: the download's own thread owns it.
 *
 * @param <P> how the transport names a peer
 */
final class PeerScores<P> {
  static final int GOOD_CHUNK = 5;
  static final int CREDIT_MAX = 25;
  static final int FAILED_REQUEST = -25;
  static final int BAD_CHUNK = -200;
  static final int DROP_AT = -100;

  private final Map<P, Integer> scores = new HashMap<>();

  int score(P peer) {
    return scores.getOrDefault(peer, 0);
  }

  boolean dropped(P peer) {
    return score(peer) <= DROP_AT;
  }

  /** Adds {@code delta} (capped at {@link #CREDIT_MAX}) and says whether this change dropped the peer. */
  boolean add(P peer, int delta) {
    boolean before = dropped(peer);
    scores.put(peer, Math.min(CREDIT_MAX, score(peer) + delta));
    return !before && dropped(peer);
  }

  long droppedCount() {
    return scores.values().stream().filter(s -> s <= DROP_AT).count();
  }
}
