package dev.cairn.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.PeerId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerAllowlistTest {
  private static KeyPair key(int b) {
    byte[] seed = new byte[32];
    seed[0] = (byte) b;
    return KeyPair.fromSeed(seed);
  }

  @Test
  void aNodeKeysPeerIdIsTheOneItsHostPresentsAndTheOneConfigFilesName() {
    KeyPair node = key(1);
    PeerId fromChain = PeerAllowlist.peerId(node.publicKey());
    assertThat(fromChain).isEqualTo(HostKey.fromSeed(node.seed()).peerId());
  }

  @Test
  void validatorsGenesisObserversAndConfiguredObserversAreAllowedNobodyElse() {
    KeyPair v1 = key(1);
    KeyPair v2 = key(2);
    KeyPair genesisObserver = key(3);
    PeerId configured = HostKey.fromSeed(key(4).seed()).peerId();
    PeerAllowlist allowed = PeerAllowlist.of(new ValidatorSet(List.of(v1.publicKey(), v2.publicKey())),
        List.of(genesisObserver.publicKey()), List.of(configured));
    assertThat(allowed.keys()).containsExactlyInAnyOrder(v1.publicKey(), v2.publicKey(), genesisObserver.publicKey());
    assertThat(allowed.peers()).containsExactly(configured);
    PeerId p2pKey = HostKey.fromSeed(key(6).seed()).peerId();
    // A p2p key's peer bound to a validator, a node of the previous release (its node key's ID), a listed ID.
    assertThat(allowed.allows(p2pKey, Optional.of(v1.publicKey()))).isTrue();
    assertThat(allowed.allows(PeerAllowlist.peerId(v2.publicKey()), Optional.empty())).isTrue();
    assertThat(allowed.allows(configured, Optional.empty())).isTrue();
    // An observer listed by the ID its node key derives, now running a p2p key bound to that node key.
    assertThat(new PeerAllowlist(Set.of(), Set.of(PeerAllowlist.peerId(key(4).publicKey())))
        .allows(p2pKey, Optional.of(key(4).publicKey()))).isTrue();
    assertThat(allowed.allows(p2pKey, Optional.empty())).isFalse();
    assertThat(allowed.allows(p2pKey, Optional.of(key(5).publicKey()))).isFalse();
  }
}
