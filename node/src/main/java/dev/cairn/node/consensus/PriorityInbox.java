package dev.cairn.node.consensus;

import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Peers' consensus messages waiting for the consensus thread, in two lanes: VOTES (PREPARE, COMMIT: small,
 * and what finishes a height) and OTHER (PROPOSAL, ROUND_CHANGE: may carry a block). {@link #poll} always
 * takes a vote first, so a flood of large messages cannot delay or crowd out votes. Each lane is bounded in
 * messages, in bytes, and in bytes per source (the peer that relayed it), so one peer's flood fills only its
 * own share; what does not fit is dropped and counted per lane. A message is counted at the bytes its holder
 * gives: its size on the wire when it waits undecoded, a bound on its heap when it waits decoded (see
 * {@link #offerEither}). Thread-safe; never blocks.
 *
 * @param <M> what waits: the consensus thread's event for the message
 */
public final class PriorityInbox<M> {
  public enum Lane {
    VOTES,
    OTHER
  }

  /**
   * @param messagesMax messages waiting in the lane
   * @param bytesMax bytes waiting in the lane
   * @param bytesPerSourceMax bytes waiting in the lane from one source
   */
  public record LaneLimits(int messagesMax, long bytesMax, long bytesPerSourceMax) {
    public LaneLimits {
      if (messagesMax < 1 || bytesPerSourceMax < 1 || bytesMax < bytesPerSourceMax) {
        throw new IllegalArgumentException("need messagesMax >= 1 and 1 <= bytesPerSourceMax <= bytesMax");
      }
    }
  }

  private record Item<M>(String source, M message, long bytes) {}

  private static final class LaneState<M> {
    final LaneLimits limits;
    final ArrayDeque<Item<M>> items = new ArrayDeque<>();
    final Map<String, Long> bytesBySource = new HashMap<>();
    long bytes;
    long dropped;

    LaneState(LaneLimits limits) {
      this.limits = limits;
    }
  }

  private final Map<Lane, LaneState<M>> lanes = new EnumMap<>(Lane.class);

  public PriorityInbox(LaneLimits votes, LaneLimits other) {
    lanes.put(Lane.VOTES, new LaneState<>(Objects.requireNonNull(votes, "votes")));
    lanes.put(Lane.OTHER, new LaneState<>(Objects.requireNonNull(other, "other")));
  }

  /**
   * Queues {@code message} from {@code source}, {@code size} bytes on the wire; false (and counted) when the
   * lane or the source's share is full.
   */
  public synchronized boolean offer(Lane lane, String source, M message, long size) {
    Objects.requireNonNull(message, "message");
    if (!add(lanes.get(lane), source, message, size)) {
      lanes.get(lane).dropped++;
      return false;
    }
    return true;
  }

  /**
   * Queues {@code preferred} counted at {@code preferredSize} if that fits, else {@code fallback} (the same
   * message in a smaller form) at {@code fallbackSize}; false (and counted once) when neither fits.
   */
  public synchronized boolean offerEither(Lane lane, String source, M preferred, long preferredSize, M fallback,
      long fallbackSize) {
    Objects.requireNonNull(preferred, "preferred");
    Objects.requireNonNull(fallback, "fallback");
    LaneState<M> state = lanes.get(lane);
    if (add(state, source, preferred, preferredSize) || add(state, source, fallback, fallbackSize)) {
      return true;
    }
    state.dropped++;
    return false;
  }

  private boolean add(LaneState<M> state, String source, M message, long size) {
    long fromSource = state.bytesBySource.getOrDefault(source, 0L);
    if (state.items.size() >= state.limits.messagesMax() || state.bytes + size > state.limits.bytesMax()
        || fromSource + size > state.limits.bytesPerSourceMax()) {
      return false;
    }
    state.items.add(new Item<>(source, message, size));
    state.bytes += size;
    state.bytesBySource.put(source, fromSource + size);
    return true;
  }

  /** The oldest vote, else the oldest other message, else null. */
  public synchronized M poll() {
    M vote = poll(Lane.VOTES);
    return vote != null ? vote : poll(Lane.OTHER);
  }

  /** The oldest message of {@code lane}, or null. */
  public synchronized M poll(Lane lane) {
    LaneState<M> state = lanes.get(lane);
    Item<M> item = state.items.poll();
    if (item == null) {
      return null;
    }
    long size = item.bytes();
    state.bytes -= size;
    state.bytesBySource.computeIfPresent(item.source(), (source, bytes) -> bytes - size <= 0 ? null : bytes - size);
    return item.message();
  }

  public synchronized long dropped(Lane lane) {
    return lanes.get(lane).dropped;
  }

  public synchronized int size(Lane lane) {
    return lanes.get(lane).items.size();
  }

  public synchronized long bytes(Lane lane) {
    return lanes.get(lane).bytes;
  }

  public synchronized void clear() {
    for (LaneState<M> state : lanes.values()) {
      state.items.clear();
      state.bytesBySource.clear();
      state.bytes = 0;
    }
  }
}
