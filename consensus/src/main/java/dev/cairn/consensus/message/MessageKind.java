package dev.cairn.consensus.message;

/** The four QBFT message kinds, with the sub-tag each has on the wire after the CONSENSUS_MESSAGE type tag. */
public enum MessageKind {
  PROPOSAL(1),
  PREPARE(2),
  COMMIT(3),
  ROUND_CHANGE(4);

  private final int code;

  MessageKind(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** Null for an unknown code: the codec turns that into a rejection with a reason. */
  public static MessageKind ofCode(int code) {
    for (MessageKind kind : values()) {
      if (kind.code == code) {
        return kind;
      }
    }
    return null;
  }
}
