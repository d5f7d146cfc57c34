package dev.cairn.p2p.gossip;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.cairn.p2p.identity.PeerId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Who is subscribed to what, our mesh and fanout per topic, and GRAFT backoffs: the bookkeeping half of the
 * router, with no I/O. Insertion-ordered collections keep seeded simulations reproducible.
 */
final class MeshState {
  private final int topicsPerPeerMax;
  private final int topicsMax;
  private final RandomGenerator random;
  final Map<PeerId, Peer> peers = new LinkedHashMap<>();
  final Map<String, Set<PeerId>> topicPeers = new LinkedHashMap<>();
  final Map<String, Set<PeerId>> mesh = new LinkedHashMap<>();
  final Map<String, Set<PeerId>> fanout = new LinkedHashMap<>();
  final Map<String, Long> fanoutLastPublishMillis = new HashMap<>();

  /** Per-peer state; counters reset every heartbeat. */
  static final class Peer {
    final ByteString idBytes;
    final Set<String> topics = new LinkedHashSet<>();
    final Map<String, Long> backoffUntilMillis = new HashMap<>();
    int ihavesThisHeartbeat;
    int idsAskedThisHeartbeat;

    Peer(PeerId id) {
      this.idBytes = UnsafeByteOperations.unsafeWrap(id.bytes());
    }
  }

  MeshState(int topicsPerPeerMax, int topicsMax, RandomGenerator random) {
    this.topicsPerPeerMax = topicsPerPeerMax;
    this.topicsMax = topicsMax;
    this.random = random;
  }

  /** Returns false if the peer was already known. */
  boolean addPeer(PeerId id) {
    return peers.putIfAbsent(id, new Peer(id)) == null;
  }

  void removePeer(PeerId id) {
    Peer peer = peers.remove(id);
    if (peer == null) {
      return;
    }
    for (String topic : peer.topics) {
      removeFrom(topicPeers, topic, id);
    }
    mesh.values().forEach(s -> s.remove(id));
    fanout.values().forEach(s -> s.remove(id));
  }

  /** Records a peer's subscription; false if a bound refused it. */
  boolean subscribe(PeerId id, String topic) {
    Peer peer = peers.get(id);
    if (peer == null || peer.topics.contains(topic)) {
      return peer != null;
    }
    if (peer.topics.size() >= topicsPerPeerMax || (!topicPeers.containsKey(topic) && topicPeers.size() >= topicsMax)) {
      return false;
    }
    peer.topics.add(topic);
    topicPeers.computeIfAbsent(topic, t -> new LinkedHashSet<>()).add(id);
    return true;
  }

  void unsubscribe(PeerId id, String topic) {
    Peer peer = peers.get(id);
    if (peer == null || !peer.topics.remove(topic)) {
      return;
    }
    removeFrom(topicPeers, topic, id);
    Set<PeerId> m = mesh.get(topic);
    if (m != null) {
      m.remove(id);
    }
    Set<PeerId> f = fanout.get(topic);
    if (f != null) {
      f.remove(id);
    }
  }

  Set<PeerId> peersIn(String topic) {
    return topicPeers.getOrDefault(topic, Set.of());
  }

  boolean inBackoff(PeerId id, String topic, long nowMillis) {
    Peer peer = peers.get(id);
    Long until = peer == null ? null : peer.backoffUntilMillis.get(topic);
    return until != null && until > nowMillis;
  }

  void backoff(PeerId id, String topic, long untilMillis) {
    Peer peer = peers.get(id);
    if (peer != null) {
      peer.backoffUntilMillis.merge(topic, untilMillis, Math::max);
    }
  }

  void expireBackoffs(long nowMillis) {
    for (Peer peer : peers.values()) {
      peer.backoffUntilMillis.values().removeIf(until -> until <= nowMillis);
    }
  }

  /** Up to {@code count} random peers of the topic that pass {@code filter}. */
  List<PeerId> pick(String topic, int count, Predicate<PeerId> filter) {
    if (count <= 0) {
      return List.of();
    }
    List<PeerId> candidates = new ArrayList<>();
    for (PeerId p : peersIn(topic)) {
      if (filter.test(p)) {
        candidates.add(p);
      }
    }
    Collections.shuffle(candidates, random);
    return candidates.size() <= count ? candidates : new ArrayList<>(candidates.subList(0, count));
  }

  List<PeerId> shuffled(Set<PeerId> peerSet) {
    List<PeerId> list = new ArrayList<>(peerSet);
    Collections.shuffle(list, random);
    return list;
  }

  private static void removeFrom(Map<String, Set<PeerId>> byTopic, String topic, PeerId id) {
    Set<PeerId> set = byTopic.get(topic);
    if (set != null) {
      set.remove(id);
      if (set.isEmpty()) {
        byTopic.remove(topic);
      }
    }
  }
}
