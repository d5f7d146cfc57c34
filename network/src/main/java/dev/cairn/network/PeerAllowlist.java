package dev.cairn.network;

import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.p2p.identity.PeerId;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who may connect: peers bound to a key of the next height's validators or of the observers named in genesis
 * (see {@link dev.cairn.p2p.identity.PeerBinding}), and the observers this node's config adds by peer ID text.
 * Keys, not peer IDs, for the chain's members: a node's peer ID is its p2p key's, which the chain never sees.
 *
 * @param keys node keys whose bound peers are allowed (validators of the next height, genesis observers)
 * @param peers peer IDs allowed as such (configured and added observers)
 */
public record PeerAllowlist(Set<PublicKey> keys, Set<PeerId> peers) {
  public PeerAllowlist {
    keys = Set.copyOf(keys);
    peers = Set.copyOf(peers);
  }

  /** The peer ID a node key had as its libp2p identity before p2p keys, and still has on nodes of that release. */
  public static PeerId peerId(PublicKey key) {
    return PeerId.fromPublicKey(key);
  }

  public static PeerAllowlist of(ValidatorSet validators, Collection<PublicKey> genesisObservers, List<PeerId> configuredObservers) {
    Set<PublicKey> keys = new HashSet<>(validators.validators());
    keys.addAll(genesisObservers);
    return new PeerAllowlist(keys, Set.copyOf(configuredObservers));
  }

  /** Whether {@code peer}, bound to {@code boundKey} if a binding was seen, is allowed. */
  public boolean allows(PeerId peer, Optional<PublicKey> boundKey) {
    if (peers.contains(peer) || keys.stream().anyMatch(k -> peerId(k).equals(peer))) {
      return true;
    }
    return boundKey.map(k -> keys.contains(k) || peers.contains(peerId(k))).orElse(false);
  }
}
