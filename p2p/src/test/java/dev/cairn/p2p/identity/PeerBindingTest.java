package dev.cairn.p2p.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.p2p.wire.DecodeException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PeerBindingTest {
  private final KeyPair node = KeyPair.fromSeedText("node");
  private final PeerId peer = HostKey.generate(new SecureRandom()).peerId();

  @Test
  void roundTripsAndHolds() {
    PeerBinding binding = PeerBinding.sign(node, "chain-a", peer);
    PeerBinding decoded = PeerBinding.decode(binding.encode());
    assertThat(decoded).isEqualTo(binding);
    assertThat(decoded.check("chain-a", peer)).isNull();
    assertThat(binding.encode().length).isLessThanOrEqualTo(PeerBinding.ENCODED_BYTES_MAX);
  }

  @Test
  void namesWhatIsWrong() {
    PeerBinding binding = PeerBinding.sign(node, "chain-a", peer);
    assertThat(binding.check("chain-b", peer)).isEqualTo(PeerBinding.Fault.OTHER_CHAIN);
    assertThat(binding.check("chain-a", PeerId.fromPublicKey(node.publicKey()))).isEqualTo(PeerBinding.Fault.OTHER_PEER);
    PeerBinding relabelled = new PeerBinding(binding.signer(), "chain-b", peer, binding.signature());
    assertThat(relabelled.check("chain-b", peer)).isEqualTo(PeerBinding.Fault.BAD_SIGNATURE);
  }

  @Test
  void theSignedBytesSeparateChainIdFromPeerId() {
    // "ab" + peer and "a" + ("b" + peer) must not sign the same bytes: the chain id is length-prefixed.
    assertThat(Arrays.equals(PeerBinding.signedBytes("ab", peer), PeerBinding.signedBytes("a", peer))).isFalse();
    assertThat(new String(PeerBinding.signedBytes("ab", peer), java.nio.charset.StandardCharsets.US_ASCII))
        .startsWith("\u0014cairn/p2p-binding/v1\u0002ab");
  }

  @Test
  void refusesIncompleteOrOversizedEncodings() {
    byte[] full = PeerBinding.sign(node, "chain-a", peer).encode();
    assertThatThrownBy(() -> PeerBinding.decode(Arrays.copyOf(full, 40))).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> PeerBinding.decode(new byte[PeerBinding.ENCODED_BYTES_MAX + 1])).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> PeerBinding.decode(new byte[0])).isInstanceOf(DecodeException.class)
        .hasMessageContaining("missing");
  }
}
