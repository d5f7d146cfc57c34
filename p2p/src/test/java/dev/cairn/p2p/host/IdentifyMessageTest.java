package dev.cairn.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.IdentityKeys;
import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.wire.DecodeException;
import dev.cairn.p2p.wire.ProtobufWriter;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdentifyMessageTest {
  private final HostKey key = HostKey.generate(new SecureRandom());

  @Test
  void roundTripsAndSkipsAddressesWeDoNotDial() {
    IdentifyMessage m = new IdentifyMessage("ipfs/0.1.0", "cairn/0.1.0", key.publicKey(),
        List.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/4001")), List.of("/ipfs/id/1.0.0", "/meshsub/1.1.0"),
        Optional.of(Multiaddr.parse("/ip4/10.0.0.2/tcp/5555")));
    assertThat(IdentifyMessage.decode(m.encode())).isEqualTo(m);

    // js writes fields in declaration order 5,6,1,2,4,3 and may list a /ws address we cannot parse.
    byte[] wsAddr = {0x04, 127, 0, 0, 1, 0x06, 0x0f, (byte) 0xa1, (byte) 0xdd, 0x03};
    byte[] js = new ProtobufWriter().string(5, "ipfs/0.1.0").string(6, "js-libp2p/3.2.0")
        .bytes(1, IdentityKeys.toProtobuf(key.publicKey())).bytes(2, wsAddr).bytes(2, Multiaddr.parse("/ip4/127.0.0.1/tcp/1").toBytes())
        .string(3, "/ipfs/ping/1.0.0").bytes(8, new byte[] {1, 2, 3}).toByteArray();
    IdentifyMessage parsed = IdentifyMessage.decode(js);
    assertThat(parsed.listenAddrs()).containsExactly(Multiaddr.parse("/ip4/127.0.0.1/tcp/1"));
    assertThat(parsed.agentVersion()).isEqualTo("js-libp2p/3.2.0");
    assertThat(parsed.publicKey()).isEqualTo(key.publicKey());
  }

  @Test
  void publicKeyIsRequired() {
    byte[] noKey = new ProtobufWriter().string(5, "ipfs/0.1.0").toByteArray();
    assertThatThrownBy(() -> IdentifyMessage.decode(noKey)).isInstanceOf(DecodeException.class)
        .hasMessageContaining("identify_no_public_key");
  }
}
