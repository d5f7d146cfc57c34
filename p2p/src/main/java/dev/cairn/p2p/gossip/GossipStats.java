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

  /**
   * One subscribed topic's counters since start: messages delivered to our subscriber, copies already seen,
   * and the drops (validator verdicts REJECT and IGNORE, and messages not taken because too many were
   * already in validation on that topic).
   */
  public record Topic(long delivered, long duplicates, long rejected, long ignored, long throttled) {}

  /** Mutable counterpart of {@link Topic}; single-threaded, one per topic this router ever subscribed to. */
  static final class TopicCounters {
    long delivered;
    long duplicates;
    long rejected;
    long ignored;
    long throttled;

    Topic snapshot() {
      return new Topic(delivered, duplicates, rejected, ignored, throttled);
    }
  }

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
