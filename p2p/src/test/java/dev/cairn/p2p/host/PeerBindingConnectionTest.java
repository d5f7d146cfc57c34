package dev.cairn.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.p2p.P2pConfig;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.identity.PeerBinding;
import dev.cairn.p2p.identity.PeerId;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Validators whose libp2p identity is a p2p key of their own, over real TCP: the binding in the Noise payload
 * admits them, a bootnode entry with the validator-derived ID still reaches them, and forged bindings are
 * refused right after Noise under their own reason.
 */
class PeerBindingConnectionTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String CHAIN = "cairn-binding-test";
  private final KeyPair validatorA = KeyPair.fromSeedText("validator-a");
  private final KeyPair validatorB = KeyPair.fromSeedText("validator-b");
  private final List<Host> hosts = new ArrayList<>();

  private Host validatorNode(KeyPair validator, HostKey p2p) {
    ConnectionGater gater = ConnectionGater.forChain(CHAIN, Set.of(validatorA.publicKey(), validatorB.publicKey()), Set.of());
    Host h = new Host(p2p, P2pConfig.defaults(), gater, Optional.of(PeerBinding.sign(validator, CHAIN, p2p.peerId())));
    h.start(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    hosts.add(h);
    return h;
  }

  @AfterEach
  void stop() {
    hosts.forEach(Host::stop);
  }

  @Test
  void boundValidatorsConnectAndAreFoundByTheirValidatorKey() throws Exception {
    Host a = validatorNode(validatorA, HostKey.generate(RANDOM));
    Host b = validatorNode(validatorB, HostKey.generate(RANDOM));
    // The bootnode entry an operator wrote before p2p keys: B's address with the ID its validator key derives.
    PeerId oldIdOfB = PeerId.fromPublicKey(validatorB.publicKey());
    Multiaddr oldEntry = b.listenAddrs().get(0).withPeerId(oldIdOfB);
    assertThat(a.dial(oldEntry).get(5, TimeUnit.SECONDS)).isEqualTo(b.peerId());
    assertThat(HostTest.eventually(() -> b.isConnected(a.peerId()))).isTrue();
    assertThat(a.gater().boundKey(b.peerId())).contains(validatorB.publicKey());
    assertThat(b.gater().boundPeer(validatorA.publicKey())).contains(a.peerId());
    assertThat(a.isConnected(oldIdOfB)).isTrue();
    // Dialling the old entry again reuses the connection instead of opening a second one.
    assertThat(a.dial(oldEntry).get(5, TimeUnit.SECONDS)).isEqualTo(b.peerId());
    assertThat(a.peer(b.peerId()).orElseThrow().connections()).isEqualTo(1);
  }

  @Test
  void anOldEntryAnsweredByAPeerBoundToAnotherValidatorIsAMismatch() throws Exception {
    Host a = validatorNode(validatorA, HostKey.generate(RANDOM));
    Host b = validatorNode(validatorB, HostKey.generate(RANDOM));
    Multiaddr wrong = b.listenAddrs().get(0).withPeerId(PeerId.fromPublicKey(validatorA.publicKey()));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.dial(wrong).get(5, TimeUnit.SECONDS))
        .hasMessageContaining("peer_id_mismatch");
  }

  @Test
  void forgedBindingsAreRefusedRightAfterNoiseEachUnderItsReason() throws Exception {
    Host server = validatorNode(validatorA, HostKey.generate(RANDOM));
    InetSocketAddress address = server.listenAddrs().get(0).tcpAddress().orElseThrow();
    HostKey attacker = HostKey.generate(RANDOM);
    HostKey honest = HostKey.generate(RANDOM);
    PeerBinding good = PeerBinding.sign(validatorB, CHAIN, attacker.peerId());
    byte[] flipped = good.signature().bytes().toArray();
    flipped[0] ^= 1;
    List<byte[]> forged = List.of(
        new PeerBinding(good.signer(), CHAIN, attacker.peerId(), new Signature(Bytes.of(flipped))).encode(),
        PeerBinding.sign(validatorB, "another-chain", attacker.peerId()).encode(),
        PeerBinding.sign(validatorB, CHAIN, honest.peerId()).encode(),
        PeerBinding.sign(KeyPair.fromSeedText("not-a-validator"), CHAIN, attacker.peerId()).encode());
    for (byte[] binding : forged) {
      try (RawPeer raw = new RawPeer(address)) {
        raw.negotiatePlain("/noise");
        try {
          raw.upgradeAfterSecurityMss(attacker, Optional.of(binding));
        } catch (java.io.IOException expected) {
          // the server closed right after message 3: the muxer negotiation cannot complete
        }
        assertThat(raw.closedByRemoteWithin(3000)).isTrue();
      }
    }
    assertThat(HostTest.eventually(() -> server.refusedConnections().size() == 4)).isTrue();
    assertThat(server.refusedConnections()).containsOnly(
        java.util.Map.entry("binding_bad_signature", 1L), java.util.Map.entry("binding_other_chain", 1L),
        java.util.Map.entry("binding_other_peer", 1L), java.util.Map.entry("binding_not_allowed", 1L));
    assertThat(server.peers()).isEmpty();
    assertThat(server.gater().boundKey(attacker.peerId())).isEmpty();
    // The genuine binding of the same key is admitted.
    try (RawPeer raw = new RawPeer(address)) {
      raw.negotiatePlain("/noise");
      raw.upgradeAfterSecurityMss(attacker, Optional.of(good.encode()));
      assertThat(HostTest.eventually(() -> server.isConnected(attacker.peerId()))).isTrue();
    }
  }
}
