package dev.cairn.p2p.gossip;

import java.util.List;
import java.util.Objects;

/** One pubsub RPC: subscription changes, full messages and GossipSub control (RPC in rpc.proto). */
public record Rpc(List<Subscription> subscriptions, List<PubsubMessage> messages, Control control) {
  public static final Rpc EMPTY = new Rpc(List.of(), List.of(), Control.EMPTY);

  public Rpc {
    subscriptions = List.copyOf(subscriptions);
    messages = List.copyOf(messages);
    Objects.requireNonNull(control, "control");
  }

  public boolean isEmpty() {
    return subscriptions.isEmpty() && messages.isEmpty() && control.isEmpty();
  }

  /** A SubOpts entry: the sender joined ({@code subscribe}) or left a topic. */
  public record Subscription(boolean subscribe, String topic) {
    public Subscription {
      Objects.requireNonNull(topic, "topic");
    }
  }
}
