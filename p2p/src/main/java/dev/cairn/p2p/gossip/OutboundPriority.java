package dev.cairn.p2p.gossip;

/**
 * Which gossip the node-wide outbound budget ({@link GossipOutbound}) gives up first when it runs short. Each
 * priority may fill the budget only up to its ceiling, so the bytes above a ceiling stay reserved for the
 * priorities above it: a flood of {@link #LOW} messages to every peer can never take the room of
 * {@link #HIGH} ones.
 */
public enum OutboundPriority {
  /** Dropped first: may fill at most half of the budget (transactions: the sender or another peer re-sends). */
  LOW(1, 2),
  /** Dropped next: may fill at most three quarters of the budget (finalized blocks: block sync recovers them). */
  MEDIUM(3, 4),
  /** Dropped last: may fill the whole budget, a quarter of which only it may use (consensus votes, control). */
  HIGH(1, 1);

  private final int numerator;
  private final int denominator;

  OutboundPriority(int numerator, int denominator) {
    this.numerator = numerator;
    this.denominator = denominator;
  }

  /** The most unsent bytes, over all peers, under which a frame of this priority is still queued. */
  long ceiling(long budgetBytesMax) {
    return budgetBytesMax / denominator * numerator + budgetBytesMax % denominator * numerator / denominator;
  }
}
