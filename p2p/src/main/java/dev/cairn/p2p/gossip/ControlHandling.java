package dev.cairn.p2p.gossip;

import dev.cairn.p2p.identity.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles the control part of one RPC from one peer: GRAFT and PRUNE change the mesh, IHAVE is answered
 * with IWANT for ids we have not seen, IWANT with messages from the cache. Every answer is bounded per
 * heartbeat (IHAVE count and asked ids) or per message (retransmissions).
 */
final class ControlHandling {
  private static final Logger log = LoggerFactory.getLogger(ControlHandling.class);

  private final GossipRouter router;
  private final GossipConfig config;
  private final MeshState state;
  private final PeerId peer;
  private final MeshState.Peer peerState;
  private final long nowMillis;

  ControlHandling(GossipRouter router, PeerId peer, long nowMillis) {
    this.router = router;
    this.config = router.config();
    this.state = router.state;
    this.peer = peer;
    this.peerState = state.peers.get(peer);
    this.nowMillis = nowMillis;
  }

  void handle(Control control) {
    if (control.isEmpty() || peerState == null) {
      return;
    }
    control.graft().forEach(g -> graft(g.topic()));
    control.prune().forEach(this::prune);
    control.ihave().forEach(this::ihave);
    control.iwant().forEach(this::iwant);
  }

  private void graft(String topic) {
    if (!router.subscribed(topic)) {
      // Not our topic: refuse without revealing anything else.
      router.outbox.prune(peer, topic, config.pruneBackoffMillis() / 1000);
      return;
    }
    Set<PeerId> mesh = state.mesh.computeIfAbsent(topic, t -> new java.util.LinkedHashSet<>());
    if (mesh.contains(peer)) {
      return;
    }
    if (state.inBackoff(peer, topic, nowMillis)) {
      // GRAFT during backoff breaks the protocol: refuse and restart the backoff (v1.1).
      log.debug("gossip graft during backoff peer={} topic={}", peer.shortText(), topic);
      pruneBack(topic);
      return;
    }
    if (mesh.size() >= config.dHigh()) {
      pruneBack(topic);
      return;
    }
    mesh.add(peer);
    // A GRAFT implies the peer is subscribed, even if its SUBSCRIBE was lost or comes later.
    state.subscribe(peer, topic);
  }

  private void pruneBack(String topic) {
    router.outbox.prune(peer, topic, config.pruneBackoffMillis() / 1000);
    state.backoff(peer, topic, nowMillis + config.pruneBackoffMillis());
  }

  private void prune(Control.Prune prune) {
    Set<PeerId> mesh = state.mesh.get(prune.topic());
    if (mesh != null) {
      mesh.remove(peer);
    }
    state.backoff(peer, prune.topic(), nowMillis + router.clampedBackoffMillis(prune.backoffSeconds()));
  }

  private void ihave(Control.IHave ihave) {
    if (++peerState.ihavesThisHeartbeat > config.ihavePerHeartbeatMax()) {
      router.counters.ihaveIgnored++;
      return;
    }
    if (!router.subscribed(ihave.topic())) {
      return;
    }
    List<MessageId> want = new ArrayList<>();
    for (MessageId id : ihave.messageIds()) {
      if (peerState.idsAskedThisHeartbeat >= config.ihaveIdsPerHeartbeatMax()) {
        router.counters.ihaveIgnored++;
        break;
      }
      if (!router.seenContains(id) && !router.mcache.contains(id)) {
        want.add(id);
        peerState.idsAskedThisHeartbeat++;
      }
    }
    if (!want.isEmpty()) {
      router.outbox.iwant(peer, new Control.IWant(want));
    }
  }

  private void iwant(Control.IWant iwant) {
    for (MessageId id : iwant.messageIds()) {
      PubsubMessage m = router.mcache.getForPeer(id, peer, config.gossipRetransmissionMax());
      if (m != null) {
        router.outbox.message(peer, m);
        router.counters.iwantServed++;
      }
    }
  }
}
