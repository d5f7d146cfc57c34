package dev.cairn.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.PeerId;
import java.util.List;
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
    Set<PeerId> allowed = PeerAllowlist.of(new ValidatorSet(List.of(v1.publicKey(), v2.publicKey())),
        List.of(genesisObserver.publicKey()), List.of(configured));
    assertThat(allowed).containsExactlyInAnyOrder(PeerAllowlist.peerId(v1.publicKey()),
        PeerAllowlist.peerId(v2.publicKey()), PeerAllowlist.peerId(genesisObserver.publicKey()), configured);
    assertThat(allowed).doesNotContain(HostKey.fromSeed(key(5).seed()).peerId());
  }
}
