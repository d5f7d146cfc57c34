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
 * id count), then messages chunked by count and bytes. The router never builds an RPC its peers would
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
    List<Rpc.Subscription> subs = p.subscriptions;
    List<Control.Graft> graft = p.graft;
    List<Control.Prune> prune = p.prune;
    List<Control.IHave> ihave = new ArrayList<>();
    List<Control.IWant> iwant = new ArrayList<>();
    int entries = graft.size() + prune.size();
    int ids = 0;
    for (Control.IHave h : p.ihave) {
      if (ids + h.messageIds().size() > limits.messageIdsPerRpcMax() || entries + 1 > limits.controlEntriesPerRpcMax()) {
        send(transport, peer, subs, ihave, iwant, graft, prune);
        subs = List.of();
        graft = List.of();
        prune = List.of();
        ihave = new ArrayList<>();
        iwant = new ArrayList<>();
        entries = 0;
        ids = 0;
      }
      ihave.add(h);
      entries++;
      ids += h.messageIds().size();
    }
    for (Control.IWant w : p.iwant) {
      if (ids + w.messageIds().size() > limits.messageIdsPerRpcMax() || entries + 1 > limits.controlEntriesPerRpcMax()) {
        send(transport, peer, subs, ihave, iwant, graft, prune);
        subs = List.of();
        graft = List.of();
        prune = List.of();
        ihave = new ArrayList<>();
        iwant = new ArrayList<>();
        entries = 0;
        ids = 0;
      }
      iwant.add(w);
      entries++;
      ids += w.messageIds().size();
    }
    send(transport, peer, subs, ihave, iwant, graft, prune);
  }

  private void send(GossipTransport transport, PeerId peer, List<Rpc.Subscription> subs, List<Control.IHave> ihave,
      List<Control.IWant> iwant, List<Control.Graft> graft, List<Control.Prune> prune) {
    Rpc rpc = new Rpc(subs, List.of(), new Control(ihave, iwant, graft, prune));
    if (!rpc.isEmpty()) {
      transport.send(peer, RpcEncoder.encode(rpc), Priority.CONTROL);
    }
  }

  private void flushMessages(GossipTransport transport, PeerId peer, List<PubsubMessage> messages) {
    List<PubsubMessage> batch = new ArrayList<>();
    int bytes = 0;
    for (PubsubMessage m : messages) {
      int size = RpcEncoder.messageEntrySize(m);
      if (!batch.isEmpty() && (batch.size() == limits.messagesPerRpcMax() || bytes + size > limits.rpcBytesMax())) {
        transport.send(peer, RpcEncoder.encode(new Rpc(List.of(), batch, Control.EMPTY)), Priority.MESSAGES);
        batch = new ArrayList<>();
        bytes = 0;
      }
      batch.add(m);
      bytes += size;
    }
    if (!batch.isEmpty()) {
      transport.send(peer, RpcEncoder.encode(new Rpc(List.of(), batch, Control.EMPTY)), Priority.MESSAGES);
    }
  }
}
