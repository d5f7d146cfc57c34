package dev.cairn.p2p.gossip;

/**
 * Counters of one router since start, for metrics and tests. Read through {@link GossipRouter#stats()} on
 * the router thread.
 */
public record GossipStats(
    long published,
    long delivered,
    long forwarded,
    long duplicates,
    long rejected,
    long ignored,
    long invalidMessages,
    long rpcMalformed,
    long validationThrottled,
    long notSubscribed,
    long iwantServed,
    long ihaveIgnored,
    long publishTooLarge) {

  /** Mutable counterpart kept by the router; single-threaded. */
  static final class Counters {
    long published;
    long delivered;
    long forwarded;
    long duplicates;
    long rejected;
    long ignored;
    long invalidMessages;
    long rpcMalformed;
    long validationThrottled;
    long notSubscribed;
    long iwantServed;
    long ihaveIgnored;
    long publishTooLarge;

    GossipStats snapshot() {
      return new GossipStats(published, delivered, forwarded, duplicates, rejected, ignored, invalidMessages,
          rpcMalformed, validationThrottled, notSubscribed, iwantServed, ihaveIgnored, publishTooLarge);
    }
  }
}
