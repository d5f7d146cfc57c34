package dev.cairn.node.admin;

import dev.cairn.network.AddedObservers;
import dev.cairn.network.P2pNetwork;
import dev.cairn.p2p.host.PeerInfo;
import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.identity.PeerId;
import dev.cairn.rpc.admin.NodeAdmin;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's side of the {@code admin_} namespace: peers and observers through the p2p network, votes from the
 * vote index over the state, evidence from the store, log levels from Logback.
 */
public final class LocalNodeAdmin implements NodeAdmin {
  private static final Logger log = LoggerFactory.getLogger(LocalNodeAdmin.class);
  private static final int PEER_ID_CHARS_MAX = 128;

  private final Optional<P2pNetwork> network;
  private final AddedObservers observers;
  private final VoteCandidates votes;
  private final EvidenceLog evidence;
  private final Supplier<Info> info;

  /**
   * @param network empty on a node without p2p (peer methods then answer with nothing to show or refuse)
   * @param info the node's identity and head, for {@code admin_nodeInfo}
   */
  public LocalNodeAdmin(Optional<P2pNetwork> network, AddedObservers observers, VoteCandidates votes, EvidenceLog evidence,
      Supplier<Info> info) {
    this.network = network;
    this.observers = observers;
    this.votes = votes;
    this.evidence = evidence;
    this.info = info;
  }

  @Override
  public List<Peer> peers() {
    if (network.isEmpty()) {
      return List.of();
    }
    P2pNetwork p2p = network.get();
    List<Peer> out = new ArrayList<>();
    for (PeerInfo peer : p2p.peers()) {
      String role = p2p.isValidator(peer.peer()) ? "validator" : "observer";
      out.add(new Peer(peer.peer().toBase58(), String.valueOf(peer.connectedAddress()), role,
          peer.outbound() ? "outbound" : "inbound",
          peer.pingLatencyMillis().isPresent() ? Optional.of(peer.pingLatencyMillis().getAsLong()) : Optional.empty(),
          peer.protocols(), peer.agentVersion() == null ? "" : peer.agentVersion()));
    }
    return out;
  }

  /**
   * Admits an observer: {@code peerIdOrAddress} is a peer ID, or a multiaddr ending in {@code /p2p/PEER_ID},
   * which the node also dials once.
   */
  @Override
  public ObserverChange addObserver(String peerIdOrAddress) {
    Optional<Target> target = parse(peerIdOrAddress);
    if (target.isEmpty()) {
      return new ObserverChange.Refused("expected a peer ID or a multiaddr ending in /p2p/PEER_ID");
    }
    if (network.isEmpty()) {
      return new ObserverChange.Refused("p2p is disabled on this node");
    }
    PeerId peer = target.get().peer();
    boolean added;
    try {
      added = !network.get().allowedWithoutAdditions(peer) && observers.add(peer);
    } catch (IllegalStateException full) {
      return new ObserverChange.Refused(full.getMessage());
    }
    if (added) {
      network.get().setAddedObservers(observers.all());
      log.info("event=observer_added peer={}", peer.toBase58());
    }
    target.get().address().ifPresent(network.get()::dial);
    return added ? new ObserverChange.Changed() : new ObserverChange.Unchanged("already allowed");
  }

  @Override
  public ObserverChange removeObserver(String peerIdOrAddress) {
    Optional<Target> target = parse(peerIdOrAddress);
    if (target.isEmpty()) {
      return new ObserverChange.Refused("expected a peer ID or a multiaddr ending in /p2p/PEER_ID");
    }
    PeerId peer = target.get().peer();
    if (!observers.remove(peer)) {
      return new ObserverChange.Unchanged(network.isPresent() && network.get().allowedWithoutAdditions(peer)
          ? "allowed by the validator set, genesis or config.toml, not by admin_addPeer" : "not an added observer");
    }
    network.ifPresent(p2p -> p2p.setAddedObservers(observers.all()));
    log.info("event=observer_removed peer={}", peer.toBase58());
    return new ObserverChange.Changed();
  }

  private record Target(PeerId peer, Optional<Multiaddr> address) {}

  private static Optional<Target> parse(String text) {
    if (text.isEmpty() || text.length() > PEER_ID_CHARS_MAX * 4) {
      return Optional.empty();
    }
    try {
      if (text.startsWith("/")) {
        Multiaddr address = Multiaddr.parse(text);
        return address.peerId().map(peer -> new Target(peer, Optional.of(address)));
      }
      return text.length() > PEER_ID_CHARS_MAX ? Optional.empty() : Optional.of(new Target(PeerId.fromBase58(text), Optional.empty()));
    } catch (RuntimeException malformed) {
      return Optional.empty();
    }
  }

  @Override
  public List<ValidatorVote> validatorVotes() {
    return votes.pending();
  }

  @Override
  public List<Evidence> evidence(int limit) {
    return evidence.newest(limit);
  }

  @Override
  public Optional<String> setLogLevel(String logger, String level) {
    return LogLevels.set(logger, level);
  }

  @Override
  public Info info() {
    return info.get();
  }
}
