package dev.cairn.network;

import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.p2p.identity.PeerId;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who may connect: the validators of the next height, the observers named in genesis, and the observers this
 * node's config adds (by peer ID text). A node's libp2p identity is its Ed25519 node key, so a validator's
 * peer ID follows from its public key on chain.
 */
public final class PeerAllowlist {
  private PeerAllowlist() {}

  public static PeerId peerId(PublicKey key) {
    return PeerId.fromPublicKey(key);
  }

  public static Set<PeerId> of(ValidatorSet validators, Collection<PublicKey> genesisObservers, List<PeerId> configuredObservers) {
    Set<PeerId> out = new HashSet<>();
    for (PublicKey key : validators.validators()) {
      out.add(peerId(key));
    }
    for (PublicKey key : genesisObservers) {
      out.add(peerId(key));
    }
    out.addAll(configuredObservers);
    return Set.copyOf(out);
  }
}
