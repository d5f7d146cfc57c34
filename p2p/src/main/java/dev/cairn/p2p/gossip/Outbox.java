package dev.cairn.p2p.gossip;

import dev.cairn.p2p.gossip.GossipTransport.Priority;
import dev.cairn.p2p.identity.PeerId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the router wants to tell each peer during one event, coalesced and flushed at the end of the event
 * as few RPCs as the limits allow: control first (subscriptions, GRAFT, PRUNE, then IHAVE/IWANT chunked by
 * id count), then messages by topic, chunked by count and bytes. The router never builds an RPC its peers would
 * refuse under the same {@link RpcLimits}.
 */
final class Outbox {
  private final RpcLimits limits;
  private final Map<PeerId, Pending> pending = new LinkedHashMap<>();

  private static final class Pending {
    final List<Rpc.Subscription> subscriptions = new ArrayList<>();
    final List<PubsubMessage> messages = new ArrayList<>();
    final List<Control.IHave> ihave = new ArrayList<>();
    final List<Control.IWant> iwant = new ArrayList<>();
    final List<Control.Graft> graft = new ArrayList<>();
    final List<Control.Prune> prune = new ArrayList<>();
  }

  Outbox(RpcLimits limits) {
    this.limits = limits;
  }

  private Pending to(PeerId peer) {
    return pending.computeIfAbsent(peer, p -> new Pending());
  }

  void subscription(PeerId peer, Rpc.Subscription s) {
    to(peer).subscriptions.add(s);
  }

  void message(PeerId peer, PubsubMessage m) {
    to(peer).messages.add(m);
  }

  void ihave(PeerId peer, Control.IHave h) {
    to(peer).ihave.add(h);
  }

  void iwant(PeerId peer, Control.IWant w) {
    to(peer).iwant.add(w);
  }

  void graft(PeerId peer, String topic) {
    to(peer).graft.add(new Control.Graft(topic));
  }

  void prune(PeerId peer, String topic, long backoffSeconds) {
    to(peer).prune.add(new Control.Prune(topic, List.of(), backoffSeconds));
  }

  /** Drops anything queued for a peer that just left. */
  void forget(PeerId peer) {
    pending.remove(peer);
  }

  void flush(GossipTransport transport) {
    if (pending.isEmpty()) {
      return;
    }
    for (Map.Entry<PeerId, Pending> e : pending.entrySet()) {
      flushControl(transport, e.getKey(), e.getValue());
      flushMessages(transport, e.getKey(), e.getValue().messages);
    }
    pending.clear();
  }

  private void flushControl(GossipTransport transport, PeerId peer, Pending p) {
    ControlRpc rpc = new ControlRpc(p.subscriptions, p.graft, p.prune);
    for (Control.IHave h : p.ihave) {
      if (!rpc.fits(h.messageIds().size())) {
        rpc.send(transport, peer);
        rpc = new ControlRpc(List.of(), List.of(), List.of());
      }
      rpc.ihave.add(h);
      rpc.add(h.messageIds().size());
    }
    for (Control.IWant w : p.iwant) {
      if (!rpc.fits(w.messageIds().size())) {
        rpc.send(transport, peer);
        rpc = new ControlRpc(List.of(), List.of(), List.of());
      }
      rpc.iwant.add(w);
      rpc.add(w.messageIds().size());
    }
    rpc.send(transport, peer);
  }

  /** One control RPC being filled: subscriptions, GRAFT and PRUNE go in the first, IHAVE/IWANT spill over. */
  private final class ControlRpc {
    final List<Rpc.Subscription> subscriptions;
    final List<Control.Graft> graft;
    final List<Control.Prune> prune;
    final List<Control.IHave> ihave = new ArrayList<>();
    final List<Control.IWant> iwant = new ArrayList<>();
    int entries;
    int ids;

    ControlRpc(List<Rpc.Subscription> subscriptions, List<Control.Graft> graft, List<Control.Prune> prune) {
      this.subscriptions = subscriptions;
      this.graft = graft;
      this.prune = prune;
      this.entries = graft.size() + prune.size();
    }

    boolean fits(int moreIds) {
      return ids + moreIds <= limits.messageIdsPerRpcMax() && entries + 1 <= limits.controlEntriesPerRpcMax();
    }

    void add(int moreIds) {
      entries++;
      ids += moreIds;
    }

    void send(GossipTransport transport, PeerId peer) {
      Rpc rpc = new Rpc(subscriptions, List.of(), new Control(ihave, iwant, graft, prune));
      if (!rpc.isEmpty()) {
        transport.send(peer, RpcEncoder.encode(rpc), Priority.CONTROL);
      }
    }
  }

  /** Messages go in RPCs of one topic each (see {@link GossipTransport#sendMessages}), in order within a topic. */
  private void flushMessages(GossipTransport transport, PeerId peer, List<PubsubMessage> messages) {
    Map<String, List<PubsubMessage>> byTopic = new LinkedHashMap<>();
    for (PubsubMessage m : messages) {
      byTopic.computeIfAbsent(m.topic(), t -> new ArrayList<>()).add(m);
    }
    byTopic.forEach((topic, ofTopic) -> flushTopic(transport, peer, topic, ofTopic));
  }

  private void flushTopic(GossipTransport transport, PeerId peer, String topic, List<PubsubMessage> messages) {
    List<PubsubMessage> batch = new ArrayList<>();
    int bytes = 0;
    for (PubsubMessage m : messages) {
      int size = RpcEncoder.messageEntrySize(m);
      if (!batch.isEmpty() && (batch.size() == limits.messagesPerRpcMax() || bytes + size > limits.rpcBytesMax())) {
        transport.sendMessages(peer, RpcEncoder.encode(new Rpc(List.of(), batch, Control.EMPTY)), topic, batch.size());
        batch = new ArrayList<>();
        bytes = 0;
      }
      batch.add(m);
      bytes += size;
    }
    if (!batch.isEmpty()) {
      transport.sendMessages(peer, RpcEncoder.encode(new Rpc(List.of(), batch, Control.EMPTY)), topic, batch.size());
    }
  }
}
