package dev.cairn.p2p.gossip;

import dev.cairn.p2p.identity.PeerId;
import java.util.Objects;

/** A validated message handed to the local subscriber of its topic. */
public record ReceivedMessage(MessageId id, PubsubMessage message, PeerId receivedFrom) {
  public ReceivedMessage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(receivedFrom, "receivedFrom");
  }
}
