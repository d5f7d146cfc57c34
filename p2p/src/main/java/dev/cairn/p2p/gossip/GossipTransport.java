package dev.cairn.p2p.gossip;

import dev.cairn.p2p.identity.PeerId;

/**
 * How the router reaches peers. Implementations must not block the caller (the router thread): they queue,
 * bounded, and apply the drop policy of {@link Priority}. The host implementation writes each RPC as one
 * uvarint-length-prefixed frame on the outbound pubsub stream to the peer.
 */
public interface GossipTransport {

  /** What may be dropped when a peer's outbound queue is full. */
  enum Priority {
    /** Subscriptions, GRAFT, PRUNE, IHAVE, IWANT: losing them desyncs the mesh; a peer too slow for them goes. */
    CONTROL,
    /** Full messages: droppable, as gossip (IHAVE/IWANT) recovers them. */
    MESSAGES
  }

  /** Queues one encoded RPC (without length prefix) for {@code to}. */
  void send(PeerId to, byte[] rpc, Priority priority);

  /**
   * Queues one encoded RPC that carries {@code messages} full messages, all of {@code topic} (the router never
   * mixes topics in one message RPC, so that a node-wide budget can drop by topic).
   */
  default void sendMessages(PeerId to, byte[] rpc, String topic, int messages) {
    send(to, rpc, Priority.MESSAGES);
  }

  /** Closes the pubsub streams of a misbehaving or too slow peer. */
  void disconnect(PeerId peer, String reason);
}
