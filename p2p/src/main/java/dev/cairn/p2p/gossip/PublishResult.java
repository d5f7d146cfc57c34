package dev.cairn.p2p.gossip;

import java.util.Objects;

/** What became of a local publish. */
public sealed interface PublishResult {
  /** Sent to {@code peers} peers (0 is not an error: the message is cached and gossiped later). */
  record Published(MessageId id, int peers) implements PublishResult {
    public Published {
      Objects.requireNonNull(id, "id");
    }
  }

  enum Reason {
    TOO_LARGE,
    DUPLICATE,
    TOPIC_INVALID,
    STOPPED,
    OVERLOADED
  }

  record Refused(Reason reason, String detail) implements PublishResult {
    public Refused {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
