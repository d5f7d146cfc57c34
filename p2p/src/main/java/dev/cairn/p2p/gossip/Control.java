package dev.cairn.p2p.gossip;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Objects;

/** The GossipSub control part of an RPC: IHAVE, IWANT, GRAFT and PRUNE (ControlMessage in rpc.proto). */
public record Control(List<IHave> ihave, List<IWant> iwant, List<Graft> graft, List<Prune> prune) {
  public static final Control EMPTY = new Control(List.of(), List.of(), List.of(), List.of());

  public Control {
    ihave = List.copyOf(ihave);
    iwant = List.copyOf(iwant);
    graft = List.copyOf(graft);
    prune = List.copyOf(prune);
  }

  public boolean isEmpty() {
    return ihave.isEmpty() && iwant.isEmpty() && graft.isEmpty() && prune.isEmpty();
  }

  /** Announces message ids the sender holds in its message cache for a topic. */
  public record IHave(String topic, List<MessageId> messageIds) {
    public IHave {
      Objects.requireNonNull(topic, "topic");
      messageIds = List.copyOf(messageIds);
    }
  }

  /** Asks for full messages previously announced by IHAVE. */
  public record IWant(List<MessageId> messageIds) {
    public IWant {
      messageIds = List.copyOf(messageIds);
    }
  }

  /** Asks the receiver to add the sender to its mesh for a topic. */
  public record Graft(String topic) {
    public Graft {
      Objects.requireNonNull(topic, "topic");
    }
  }

  /**
   * Tells the receiver it was removed from the sender's mesh for a topic and must not GRAFT again for
   * {@code backoffSeconds} (0: unspecified, use the local prune backoff).
   *
   * @param peers peer exchange records; Cairn sends none and ignores those it receives
   */
  public record Prune(String topic, List<ByteString> peers, long backoffSeconds) {
    public Prune {
      Objects.requireNonNull(topic, "topic");
      peers = List.copyOf(peers);
      if (backoffSeconds < 0) {
        throw new IllegalArgumentException("backoffSeconds < 0: " + backoffSeconds);
      }
    }
  }
}
