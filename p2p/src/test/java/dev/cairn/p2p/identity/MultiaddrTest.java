package dev.cairn.p2p.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.p2p.wire.DecodeException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MultiaddrTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String ALICE = "12D3KooWQCkBm1BYtkHpocxCwMgR8yjitEeHGx8spzcDLGt2gkBm";

  @Test
  void ip4TcpBinaryVector() {
    Multiaddr a = Multiaddr.parse("/ip4/127.0.0.1/tcp/40111");
    assertThat(HEX.formatHex(a.toBytes())).isEqualTo("047f000001069caf");
    assertThat(Multiaddr.fromBytes(a.toBytes())).isEqualTo(a);
    assertThat(a.tcpAddress()).get().extracting(s -> s.getHostString() + ":" + s.getPort()).isEqualTo("127.0.0.1:40111");
  }

  @Test
  void p2pComponentIsCode421ThenLengthThenMultihash() {
    Multiaddr a = Multiaddr.parse("/ip4/127.0.0.1/tcp/40111/p2p/" + ALICE);
    byte[] b = a.toBytes();
    assertThat(HEX.formatHex(b)).startsWith("047f000001069caf" + "a503" + "26" + "0024080112");
    assertThat(Multiaddr.fromBytes(b).toString()).isEqualTo(a.toString());
    assertThat(a.peerId()).contains(PeerId.fromBase58(ALICE));
    assertThat(a.withoutPeerId().toString()).isEqualTo("/ip4/127.0.0.1/tcp/40111");
  }

  @Test
  void dnsAndIp6() {
    Multiaddr d = Multiaddr.parse("/dns4/node-1.example.org/tcp/4001");
    assertThat(HEX.formatHex(d.toBytes())).startsWith("36" + "12" + "6e6f6465");
    assertThat(Multiaddr.fromBytes(d.toBytes())).isEqualTo(d);
    Multiaddr v6 = Multiaddr.parse("/ip6/::1/tcp/4001");
    assertThat(v6.toBytes()).hasSize(1 + 16 + 1 + 2).startsWith(0x29);
    assertThat(Multiaddr.fromBytes(v6.toBytes())).isEqualTo(v6);
  }

  @Test
  void rejectsMalformedText() {
    for (String bad : new String[] {"", "ip4/1.2.3.4", "/ip4/1.2.3", "/ip4/1.2.3.4/tcp", "/ip4/1.2.3.4/tcp/70000",
        "/ip4/1.2.3.4/tcp/01", "/udp/1", "/ip6/1.2.3.4", "/ip4/::1", "/p2p/xyz0"}) {
      assertThatThrownBy(() -> Multiaddr.parse(bad)).as(bad).isInstanceOf(DecodeException.class);
    }
  }
}
