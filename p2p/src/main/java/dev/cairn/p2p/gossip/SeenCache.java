package dev.cairn.p2p.gossip;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * Message ids seen in the last {@code ttlMillis}, for dedup. Bounded by time and by {@code entriesMax}: when a
 * flood fills it, the oldest ids go first (a message that old may then be accepted once more, which the
 * mcache and validators tolerate; unbounded memory is not tolerable).
 */
final class SeenCache {
  private final long ttlMillis;
  private final int entriesMax;
  private final Set<MessageId> ids = new HashSet<>();
  private final ArrayDeque<Stamp> order = new ArrayDeque<>();

  private record Stamp(MessageId id, long atMillis) {}

  SeenCache(long ttlMillis, int entriesMax) {
    if (ttlMillis <= 0 || entriesMax <= 0) {
      throw new IllegalArgumentException("ttlMillis and entriesMax must be > 0");
    }
    this.ttlMillis = ttlMillis;
    this.entriesMax = entriesMax;
  }

  /** Records {@code id} as seen at {@code nowMillis}; returns false if it was already seen. */
  boolean add(MessageId id, long nowMillis) {
    if (!ids.add(id)) {
      return false;
    }
    order.addLast(new Stamp(id, nowMillis));
    while (order.size() > entriesMax) {
      ids.remove(order.removeFirst().id());
    }
    return true;
  }

  boolean contains(MessageId id) {
    return ids.contains(id);
  }

  int size() {
    return ids.size();
  }

  void expire(long nowMillis) {
    while (!order.isEmpty() && order.peekFirst().atMillis() + ttlMillis <= nowMillis) {
      ids.remove(order.removeFirst().id());
    }
  }
}
