package dev.cairn.consensus;

import dev.cairn.consensus.message.ConsensusMessage;
import java.util.Objects;

/**
 * A peer's message that passed {@link MessageValidator#preverify} (every check but the round window: author,
 * signature, commit seal, certificate, justification) under {@link #context}, off the consensus thread (the
 * gossip relay checks each message before it forwards it). The engine that owns the validator that made it,
 * at the same context, repeats only the round window ({@link MessageValidator#validatePreverified}); any
 * other engine or context checks the message in full. Only {@link MessageValidator} makes one.
 */
public final class Preverified {
  /**
   * Heap bytes a decoded message may take per byte of its wire encoding, for bounds that count wire bytes: the
   * object headers and wrappers around every key, signature and transaction make a decoded message larger
   * (measured 2.8x for a 1,000-transfer proposal, 2.5x for a PREPARE); a holder of decoded messages counts
   * each at this many times its wire size so that its byte bound stays a bound on heap.
   */
  public static final int HEAP_BYTES_PER_WIRE_BYTE = 3;

  private final ConsensusMessage message;
  private final HeightContext context;
  private final MessageValidator checkedBy;

  Preverified(ConsensusMessage message, HeightContext context, MessageValidator checkedBy) {
    this.message = Objects.requireNonNull(message, "message");
    this.context = Objects.requireNonNull(context, "context");
    this.checkedBy = Objects.requireNonNull(checkedBy, "checkedBy");
  }

  public ConsensusMessage message() {
    return message;
  }

  public HeightContext context() {
    return context;
  }

  MessageValidator checkedBy() {
    return checkedBy;
  }

  @Override
  public String toString() {
    return "Preverified[" + message.kind() + " height=" + message.height() + " round=" + message.round() + "]";
  }
}
