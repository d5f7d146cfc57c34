package dev.cairn.p2p.host;

import dev.cairn.p2p.identity.PeerId;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the host knows about one connected peer: its open connections, identify answer and latency. */
final class PeerState {
  final PeerId peer;
  final List<Connection> connections = new CopyOnWriteArrayList<>();
  volatile IdentifyMessage identify;
  volatile long latencyMillis = -1;

  PeerState(PeerId peer) {
    this.peer = peer;
  }

  Optional<PeerInfo> snapshot() {
    List<Connection> cs = List.copyOf(connections);
    if (cs.isEmpty()) return Optional.empty();
    IdentifyMessage id = identify;
    long lat = latencyMillis;
    return Optional.of(new PeerInfo(peer, cs.get(0).remoteAddress(), cs.get(0).outbound(), cs.size(),
        id == null ? List.of() : id.listenAddrs(), id == null ? List.of() : id.protocols(),
        id == null ? "" : id.agentVersion(), lat < 0 ? OptionalLong.empty() : OptionalLong.of(lat)));
  }
}
