package dev.cairn.p2p.gossip;

import java.util.Objects;

/** Whether a received message obeys the signature policy; if not, the reason, for metrics and DEBUG logs. */
public sealed interface MessageCheck {
  MessageCheck VALID = new Valid();

  enum Reason {
    INVALID_SEQNO,
    INVALID_SIGNATURE,
    INVALID_PEER_ID,
    INVALID_KEY,
    KEY_MISMATCH,
    UNEXPECTED_SIGNATURE_FIELDS,
    EMPTY_TOPIC
  }

  record Valid() implements MessageCheck {}

  record Invalid(Reason reason, String detail) implements MessageCheck {
    public Invalid {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
