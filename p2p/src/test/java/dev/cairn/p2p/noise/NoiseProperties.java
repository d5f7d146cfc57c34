package dev.cairn.p2p.noise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.p2p.wire.DecodeException;
import java.security.SecureRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class NoiseProperties {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** One session for all tries: garbage fails authentication whatever the nonce. */
  private static final TransportCiphers[] CIPHERS = NoiseXXTest.handshake(dev.cairn.p2p.identity.HostKey.generate(RANDOM),
      dev.cairn.p2p.identity.HostKey.generate(RANDOM), new dev.cairn.p2p.identity.PeerId[2]);

  @Property(tries = 200)
  void garbageHandshakeMessagesFailOnlyWithDecodeException(@ForAll @Size(max = 300) byte[] garbage) {
    NoiseXX responder = new NoiseXX(false, NoiseXX.generateStaticKey(RANDOM), RANDOM);
    quietly(() -> responder.readMessage1(garbage));
    NoiseXX initiator = new NoiseXX(true, NoiseXX.generateStaticKey(RANDOM), RANDOM);
    initiator.writeMessage1();
    quietly(() -> initiator.readMessage2(garbage));
    byte[] key = new byte[32];
    quietly(() -> HandshakePayload.verify(garbage, key));
  }

  @Property(tries = 300)
  void garbageTransportFramesFailWithBadTag(@ForAll @Size(max = 200) byte[] garbage) {
    TransportCiphers[] c = CIPHERS;
    try {
      c[1].decrypt(garbage);
      throw new AssertionError("garbage decrypted");
    } catch (DecodeException expected) {
      assertThat(expected.reason()).isIn("noise_bad_tag", "noise_short_ciphertext");
    }
  }

  private static void quietly(Runnable r) {
    try {
      r.run();
    } catch (DecodeException expected) {
      assertThat(expected.reason()).isNotBlank();
    }
  }
}
