package dev.cairn.p2p.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.PeerId;
import dev.cairn.p2p.wire.DecodeException;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class NoiseXXTest {
  static final SecureRandom RANDOM = new SecureRandom();

  /** Runs a full handshake; returns [initiator ciphers, responder ciphers]. */
  static TransportCiphers[] handshake(HostKey ik, HostKey rk, PeerId[] seen) {
    NoiseXX i = new NoiseXX(true, NoiseXX.generateStaticKey(RANDOM), RANDOM);
    NoiseXX r = new NoiseXX(false, NoiseXX.generateStaticKey(RANDOM), RANDOM);
    r.readMessage1(i.writeMessage1());
    byte[] m2 = r.writeMessage2(HandshakePayload.create(rk, r.staticPublicKey()));
    seen[0] = HandshakePayload.verify(i.readMessage2(m2), i.remoteStaticKey()).peer();
    byte[] m3 = i.writeMessage3(HandshakePayload.create(ik, i.staticPublicKey()));
    seen[1] = HandshakePayload.verify(r.readMessage3(m3), r.remoteStaticKey()).peer();
    assertThat(m2).hasSize(32 + 48 + HandshakePayload.create(rk, r.staticPublicKey()).length + 16);
    return new TransportCiphers[] {i.split(), r.split()};
  }

  @Test
  void handshakeAuthenticatesBothIdentitiesAndKeysMatch() {
    HostKey a = HostKey.generate(RANDOM);
    HostKey b = HostKey.generate(RANDOM);
    PeerId[] seen = new PeerId[2];
    TransportCiphers[] c = handshake(a, b, seen);
    assertThat(seen[0]).isEqualTo(b.peerId());
    assertThat(seen[1]).isEqualTo(a.peerId());
    byte[] msg = "hello".getBytes();
    for (int n = 0; n < 3; n++) {
      assertThat(c[1].decrypt(c[0].encrypt(msg, 0, msg.length))).isEqualTo(msg);
      assertThat(c[0].decrypt(c[1].encrypt(msg, 0, msg.length))).isEqualTo(msg);
    }
  }

  @Test
  void tamperedTransportFrameFailsWithBadTag() {
    PeerId[] seen = new PeerId[2];
    TransportCiphers[] c = handshake(HostKey.generate(RANDOM), HostKey.generate(RANDOM), seen);
    byte[] ct = c[0].encrypt(new byte[100], 0, 100);
    ct[5] ^= 1;
    assertThatThrownBy(() -> c[1].decrypt(ct)).isInstanceOf(DecodeException.class).hasMessageContaining("noise_bad_tag");
  }

  @Test
  void payloadSignedByAnotherKeyIsRejected() {
    HostKey a = HostKey.generate(RANDOM);
    byte[] staticKey = new byte[32];
    byte[] otherStatic = new byte[32];
    RANDOM.nextBytes(staticKey);
    RANDOM.nextBytes(otherStatic);
    byte[] payload = HandshakePayload.create(a, staticKey);
    assertThat(HandshakePayload.verify(payload, staticKey).peer()).isEqualTo(a.peerId());
    assertThat(HandshakePayload.verify(payload, staticKey).binding()).isEmpty();
    assertThatThrownBy(() -> HandshakePayload.verify(payload, otherStatic)).isInstanceOf(DecodeException.class)
        .hasMessageContaining("noise_bad_identity_signature");
  }
}
