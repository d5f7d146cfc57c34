package dev.cairn.p2p.gossip;

import java.util.Objects;

/** The outcome of decoding an RPC from untrusted bytes: the RPC, or the reason it was refused. */
public sealed interface RpcDecoding {

  /** Stable reasons for metrics and DEBUG logs. */
  enum Reason {
    RPC_TOO_LARGE,
    MALFORMED_PROTOBUF,
    TOO_MANY_SUBSCRIPTIONS,
    TOO_MANY_MESSAGES,
    TOO_MANY_CONTROL_ENTRIES,
    TOO_MANY_MESSAGE_IDS,
    TOPIC_TOO_LONG,
    MESSAGE_ID_TOO_LONG,
    FIELD_TOO_LONG
  }

  record Decoded(Rpc rpc) implements RpcDecoding {
    public Decoded {
      Objects.requireNonNull(rpc, "rpc");
    }
  }

  record Malformed(Reason reason, String detail) implements RpcDecoding {
    public Malformed {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
      return reason.name().toLowerCase(java.util.Locale.ROOT) + ": " + detail;
    }
  }
}
