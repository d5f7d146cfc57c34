package dev.cairn.p2p.gossip;

import dev.cairn.p2p.identity.PeerId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The periodic half of the router (gossipsub v1.0 "heartbeat"): keep each mesh between D_lo and D_hi, expire
 * and refill fanout, emit IHAVE gossip to non-mesh peers, shift the message cache. Also joining and leaving
 * topics and choosing where our own messages go, as those share the mesh/fanout rules.
 */
final class Heartbeat {
  private final GossipConfig config;
  private final MeshState state;
  private final Outbox outbox;
  private final MessageCache mcache;

  Heartbeat(GossipConfig config, MeshState state, Outbox outbox, MessageCache mcache) {
    this.config = config;
    this.state = state;
    this.outbox = outbox;
    this.mcache = mcache;
  }

  void run(long nowMillis, Set<String> joined) {
    for (MeshState.Peer peer : state.peers.values()) {
      peer.ihavesThisHeartbeat = 0;
      peer.idsAskedThisHeartbeat = 0;
    }
    for (String topic : joined) {
      maintainMesh(topic, nowMillis);
    }
    maintainFanout(nowMillis);
    emitGossip();
    mcache.shift();
    state.expireBackoffs(nowMillis);
  }

  private void maintainMesh(String topic, long nowMillis) {
    Set<PeerId> mesh = state.mesh.computeIfAbsent(topic, t -> new LinkedHashSet<>());
    mesh.removeIf(p -> !state.peersIn(topic).contains(p));
    if (mesh.size() < config.dLow()) {
      for (PeerId p : state.pick(topic, config.d() - mesh.size(),
          p -> !mesh.contains(p) && !state.inBackoff(p, topic, nowMillis))) {
        mesh.add(p);
        outbox.graft(p, topic);
      }
    } else if (mesh.size() > config.dHigh()) {
      List<PeerId> excess = state.shuffled(mesh);
      for (PeerId p : excess.subList(config.d(), excess.size())) {
        mesh.remove(p);
        prune(p, topic, config.pruneBackoffMillis(), nowMillis);
      }
    }
  }

  private void maintainFanout(long nowMillis) {
    var it = state.fanout.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Set<PeerId>> e = it.next();
      String topic = e.getKey();
      long last = state.fanoutLastPublishMillis.getOrDefault(topic, 0L);
      if (last + config.fanoutTtlMillis() <= nowMillis) {
        it.remove();
        state.fanoutLastPublishMillis.remove(topic);
        continue;
      }
      Set<PeerId> fanout = e.getValue();
      fanout.removeIf(p -> !state.peersIn(topic).contains(p));
      if (fanout.size() < config.d()) {
        fanout.addAll(state.pick(topic, config.d() - fanout.size(), p -> !fanout.contains(p)));
      }
    }
  }

  private void emitGossip() {
    List<String> topics = new ArrayList<>(state.mesh.keySet());
    topics.addAll(state.fanout.keySet());
    for (String topic : topics) {
      List<MessageId> ids = mcache.gossipIds(topic);
      if (ids.isEmpty()) {
        continue;
      }
      if (ids.size() > config.ihaveIdsPerHeartbeatMax()) {
        ids = new ArrayList<>(ids.subList(0, config.ihaveIdsPerHeartbeatMax()));
      }
      Set<PeerId> exclude = state.mesh.containsKey(topic) ? state.mesh.get(topic) : state.fanout.get(topic);
      int eligible = 0;
      for (PeerId p : state.peersIn(topic)) {
        if (!exclude.contains(p)) {
          eligible++;
        }
      }
      int target = Math.max(config.dLazy(), (int) (config.gossipFactor() * eligible));
      Control.IHave ihave = new Control.IHave(topic, ids);
      for (PeerId p : state.pick(topic, target, p -> !exclude.contains(p))) {
        outbox.ihave(p, ihave);
      }
    }
  }

  /** Joining a topic: the mesh starts from fanout peers, topped up to D, each sent a GRAFT. */
  void join(String topic, long nowMillis) {
    Set<PeerId> mesh = new LinkedHashSet<>();
    Set<PeerId> fanout = state.fanout.remove(topic);
    state.fanoutLastPublishMillis.remove(topic);
    if (fanout != null) {
      for (PeerId p : fanout) {
        if (mesh.size() < config.d() && !state.inBackoff(p, topic, nowMillis)) {
          mesh.add(p);
        }
      }
    }
    mesh.addAll(state.pick(topic, config.d() - mesh.size(),
        p -> !mesh.contains(p) && !state.inBackoff(p, topic, nowMillis)));
    state.mesh.put(topic, mesh);
    for (PeerId p : mesh) {
      outbox.graft(p, topic);
    }
  }

  /** Leaving a topic: PRUNE the mesh with the unsubscribe backoff. */
  void leave(String topic, long nowMillis) {
    Set<PeerId> mesh = state.mesh.remove(topic);
    if (mesh != null) {
      for (PeerId p : mesh) {
        prune(p, topic, config.unsubscribeBackoffMillis(), nowMillis);
      }
    }
  }

  /**
   * Where a message we author goes: with flood publishing every peer subscribed to the topic; else the
   * mesh when joined, else the fanout (created with D peers and kept alive by publishing).
   */
  Set<PeerId> publishTargets(String topic, boolean joined, long nowMillis) {
    if (config.floodPublish()) {
      return new LinkedHashSet<>(state.peersIn(topic));
    }
    if (joined) {
      return new LinkedHashSet<>(state.mesh.getOrDefault(topic, Set.of()));
    }
    Set<PeerId> fanout = state.fanout.computeIfAbsent(topic,
        t -> new LinkedHashSet<>(state.pick(t, config.d(), p -> true)));
    state.fanoutLastPublishMillis.put(topic, nowMillis);
    return new LinkedHashSet<>(fanout);
  }

  private void prune(PeerId peer, String topic, long backoffMillis, long nowMillis) {
    outbox.prune(peer, topic, backoffMillis / 1000);
    // We back off too, so that the next heartbeat does not GRAFT the peer we just pruned.
    state.backoff(peer, topic, nowMillis + backoffMillis);
  }
}
