package dev.cairn.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.p2p.host.ConnectionGater.Decision;
import dev.cairn.p2p.host.ConnectionGater.Refusal;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.PeerBinding;
import dev.cairn.p2p.identity.PeerId;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The gater's verdicts on bound, unbound and forged identities (pure: no sockets). */
class ConnectionGaterTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String CHAIN = "cairn-test";
  private final KeyPair validator = KeyPair.fromSeedText("validator");
  private final KeyPair outsider = KeyPair.fromSeedText("outsider");
  private final HostKey p2p = HostKey.generate(RANDOM);
  private final ConnectionGater gater = ConnectionGater.forChain(CHAIN, Set.of(validator.publicKey()), Set.of());

  private Decision present(HostKey remote, PeerBinding binding) {
    return gater.decide(remote.peerId(), remote.publicKey(), Optional.of(Bytes.of(binding.encode())));
  }

  @Test
  void aPeerBoundByAValidatorIsAdmittedAndRemembered() {
    assertThat(present(p2p, PeerBinding.sign(validator, CHAIN, p2p.peerId())))
        .isEqualTo(new Decision.Allowed(validator.publicKey()));
    assertThat(gater.boundKey(p2p.peerId())).contains(validator.publicKey());
    assertThat(gater.boundPeer(validator.publicKey())).contains(p2p.peerId());
    assertThat(gater.allows(p2p.peerId())).isTrue();
    // A bootnode entry naming the validator's own (pre-p2p-key) ID now leads to the bound peer.
    assertThat(gater.resolve(PeerId.fromPublicKey(validator.publicKey()))).contains(p2p.peerId());
  }

  @Test
  void aBindingWithABadSignatureIsRefused() {
    PeerBinding good = PeerBinding.sign(validator, CHAIN, p2p.peerId());
    byte[] sig = good.signature().bytes().toArray();
    sig[5] ^= 1;
    PeerBinding forged = new PeerBinding(good.signer(), CHAIN, p2p.peerId(), new Signature(Bytes.of(sig)));
    assertThat(present(p2p, forged)).isEqualTo(new Decision.Refused(Refusal.BINDING_BAD_SIGNATURE));
    assertThat(gater.boundKey(p2p.peerId())).isEmpty();
  }

  @Test
  void aBindingSignedByAnOutsiderClaimingAValidatorIsABadSignature() {
    PeerBinding byOutsider = PeerBinding.sign(outsider, CHAIN, p2p.peerId());
    PeerBinding claimed = new PeerBinding(validator.publicKey(), CHAIN, p2p.peerId(), byOutsider.signature());
    assertThat(present(p2p, claimed)).isEqualTo(new Decision.Refused(Refusal.BINDING_BAD_SIGNATURE));
  }

  @Test
  void aBindingForAnotherChainIsRefused() {
    assertThat(present(p2p, PeerBinding.sign(validator, "other-chain", p2p.peerId())))
        .isEqualTo(new Decision.Refused(Refusal.BINDING_OTHER_CHAIN));
  }

  @Test
  void aBindingCopiedFromAnotherPeerIsRefused() {
    HostKey honest = HostKey.generate(RANDOM);
    assertThat(present(p2p, PeerBinding.sign(validator, CHAIN, honest.peerId())))
        .isEqualTo(new Decision.Refused(Refusal.BINDING_OTHER_PEER));
  }

  @Test
  void aBindingByAKeyThatIsNotAllowedIsRefused() {
    assertThat(present(p2p, PeerBinding.sign(outsider, CHAIN, p2p.peerId())))
        .isEqualTo(new Decision.Refused(Refusal.BINDING_NOT_ALLOWED));
  }

  @Test
  void garbageInTheBindingFieldIsRefusedAsMalformed() {
    assertThat(gater.decide(p2p.peerId(), p2p.publicKey(), Optional.of(Bytes.of(new byte[] {1, 2, 3}))))
        .isEqualTo(new Decision.Refused(Refusal.BINDING_MALFORMED));
  }

  @Test
  void aForgedBindingIsRefusedEvenForAPeerAllowedByItsId() {
    gater.setAllowlist(Set.of(p2p.peerId()));
    assertThat(present(p2p, PeerBinding.sign(validator, "other-chain", p2p.peerId())))
        .isEqualTo(new Decision.Refused(Refusal.BINDING_OTHER_CHAIN));
    // ...while its own node key's binding is fine: an observer listed by ID whose key is no validator.
    assertThat(present(p2p, PeerBinding.sign(outsider, CHAIN, p2p.peerId())))
        .isEqualTo(new Decision.Allowed(outsider.publicKey()));
  }

  @Test
  void anObserverListedByItsOldIdIsAdmittedWithABindingByThatKey() {
    KeyPair observer = KeyPair.fromSeedText("observer");
    gater.setAllowlist(Set.of(PeerId.fromPublicKey(observer.publicKey())));
    assertThat(present(p2p, PeerBinding.sign(observer, CHAIN, p2p.peerId())))
        .isEqualTo(new Decision.Allowed(observer.publicKey()));
  }

  @Test
  void aNodeOfThePreviousReleaseIsAdmittedAsItsValidatorKey() {
    HostKey legacy = HostKey.fromSeed(validator.seed());
    assertThat(gater.decide(legacy.peerId(), legacy.publicKey(), Optional.empty()))
        .isEqualTo(new Decision.Allowed(validator.publicKey()));
    assertThat(gater.boundPeer(validator.publicKey())).contains(legacy.peerId());
    assertThat(gater.decide(p2p.peerId(), p2p.publicKey(), Optional.empty()))
        .isEqualTo(new Decision.Refused(Refusal.NOT_ALLOWED));
  }

  @Test
  void aValidatorLeavingTheSetTakesItsBoundPeerWithIt() {
    present(p2p, PeerBinding.sign(validator, CHAIN, p2p.peerId()));
    gater.setAllowed(Set.of(), Set.of());
    assertThat(gater.allows(p2p.peerId())).isFalse();
    assertThat(gater.boundKey(p2p.peerId())).isEmpty();
  }

  @Test
  void aNewBindingOfTheSameValidatorReplacesTheOldPeer() {
    HostKey moved = HostKey.generate(RANDOM);
    present(p2p, PeerBinding.sign(validator, CHAIN, p2p.peerId()));
    present(moved, PeerBinding.sign(validator, CHAIN, moved.peerId()));
    assertThat(gater.boundPeer(validator.publicKey())).contains(moved.peerId());
    assertThat(gater.boundKey(p2p.peerId())).isEmpty();
  }

  @Test
  void aChainsGaterDialsUnknownIdsAnIdAllowlistDoesNot() {
    // A bootnode's p2p key ID is unknown until its binding is seen: the chain's gater decides after Noise.
    assertThat(gater.mayDial(p2p.peerId())).isTrue();
    assertThat(ConnectionGater.allowlist(Set.of()).mayDial(p2p.peerId())).isFalse();
  }

  @Test
  void nodeKeyIdentitiesCanBeRefusedOnceEveryNodeHasAP2pKey() {
    ConnectionGater strict = ConnectionGater.forChain(CHAIN, Set.of(validator.publicKey()), Set.of(), false);
    HostKey legacy = HostKey.fromSeed(validator.seed());
    assertThat(strict.decide(legacy.peerId(), legacy.publicKey(), Optional.empty()))
        .isEqualTo(new Decision.Refused(Refusal.NODE_KEY_IDENTITY));
    assertThat(strict.allows(legacy.peerId())).isFalse();
    assertThat(strict.decide(p2p.peerId(), p2p.publicKey(), Optional.of(Bytes.of(PeerBinding.sign(validator, CHAIN, p2p.peerId()).encode()))))
        .isEqualTo(new Decision.Allowed(validator.publicKey()));
  }
}
