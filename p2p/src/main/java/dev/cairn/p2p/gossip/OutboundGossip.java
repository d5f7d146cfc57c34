package dev.cairn.p2p.gossip;

import dev.cairn.p2p.identity.PeerId;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Frames for peers' outbound pubsub streams, within each peer's bounds and the node-wide {@link GossipOutbound}
 * budget. When the budget has no room at a frame's priority, every peer first gives back what its stream has
 * sent since ({@link PeerStreams#reconcile}); if there is still no room the frame is dropped and counted by
 * topic. No clock, thread or socket: the caller owns the peers' map and calls {@link #reconcileAll}
 * periodically (the heartbeat), so bytes written while no frame is sent still return to the budget.
 */
final class OutboundGossip {
  /** Drops of control RPCs (subscriptions, GRAFT, PRUNE, IHAVE, IWANT) are counted under this name. */
  static final String CONTROL = "control";
  /** Message RPCs sent without a topic name are counted under this one, at the lowest priority. */
  static final String UNNAMED_TOPIC = "unnamed";

  private final GossipOutbound limits;
  private final OutboundBudget budget;
  private final Map<PeerId, PeerStreams> peers;
  private final int pendingMax;
  private final long peerBytesMax;
  private final Map<String, AtomicLong> droppedMessages = new ConcurrentHashMap<>();
  /** Frames below {@link OutboundPriority#HIGH} refused for the budget, for {@link #worthReconciling}. */
  private final AtomicLong refusals = new AtomicLong();
  static final int RECONCILE_REFUSALS = 64;

  OutboundGossip(GossipOutbound limits, Map<PeerId, PeerStreams> peers, int pendingMax, long peerBytesMax) {
    this.limits = limits;
    this.budget = new OutboundBudget(limits.bytesMax());
    this.peers = peers;
    this.pendingMax = pendingMax;
    this.peerBytesMax = peerBytesMax;
  }

  /** A new peer's streams, charged to this budget. */
  PeerStreams newPeer() {
    return new PeerStreams(budget);
  }

  /** A control RPC's frame: highest priority; a drop is counted under {@link #CONTROL}. */
  PeerStreams.Sent sendControl(PeerId to, byte[] frame) {
    return send(to, frame, OutboundPriority.HIGH, CONTROL, 1);
  }

  /** A frame carrying {@code messages} messages of {@code topic}, at the topic's priority. */
  PeerStreams.Sent sendMessages(PeerId to, byte[] frame, String topic, int messages) {
    return send(to, frame, limits.priority(topic), topic, messages);
  }

  /** {@code BUDGET_FULL} in the outcome is a drop, already counted here. */
  private PeerStreams.Sent send(PeerId to, byte[] frame, OutboundPriority priority, String counted, int messages) {
    PeerStreams ps = peers.get(to);
    if (ps == null) {
      return PeerStreams.Sent.CLOSED;
    }
    PeerStreams.Sent sent = ps.send(frame, pendingMax, peerBytesMax, priority);
    if (sent == PeerStreams.Sent.BUDGET_FULL && worthReconciling(priority)) {
      reconcileAll();
      sent = ps.send(frame, pendingMax, peerBytesMax, priority);
    }
    if (sent == PeerStreams.Sent.BUDGET_FULL) {
      droppedMessages.computeIfAbsent(counted, t -> new AtomicLong()).addAndGet(messages);
    }
    return sent;
  }

  /**
   * Whether a refused frame is worth a pass over every peer: always for {@link OutboundPriority#HIGH}, else once
   * per {@link #RECONCILE_REFUSALS} refusals, so that a flood against a full budget does not cost a pass over
   * all peers per frame (the heartbeat reconciles every peer anyway).
   */
  private boolean worthReconciling(OutboundPriority priority) {
    return priority == OutboundPriority.HIGH || refusals.getAndIncrement() % RECONCILE_REFUSALS == 0;
  }

  /** Returns to the budget what every peer's stream has sent (or lost) since. */
  void reconcileAll() {
    for (PeerStreams ps : peers.values()) {
      ps.reconcile();
    }
  }

  /** Unsent bytes charged to the budget now, over all peers. */
  long unsentBytes() {
    return budget.bytes();
  }

  long bytesMax() {
    return budget.bytesMax();
  }

  /** Messages dropped because the budget was full, by topic (control RPCs under {@link #CONTROL}). */
  Map<String, Long> droppedByTopic() {
    Map<String, Long> out = new TreeMap<>();
    droppedMessages.forEach((topic, n) -> out.put(topic, n.get()));
    return out;
  }

  long dropped(String topic) {
    AtomicLong n = droppedMessages.get(topic);
    return n == null ? 0 : n.get();
  }
}
