package dev.cairn.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.p2p.P2pConfig;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.Multiaddr;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An outsider on another loopback address holds 300 half-open handshakes (a partial multistream header, then
 * silence) against a host whose peer slots number 128: an allow-listed peer must still connect in both
 * directions, and the outsider holds no more than its per-IP share of the handshake budget.
 */
class HandshakeFloodTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int FLOOD_CONNECTIONS = 300;
  private final List<Host> hosts = new ArrayList<>();
  private final List<Socket> flood = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (Socket s : flood) s.close();
    hosts.forEach(Host::stop);
  }

  private Host host(HostKey key, Set<dev.cairn.p2p.identity.PeerId> allowed) {
    Host h = new Host(key, P2pConfig.defaults(), ConnectionGater.allowlist(allowed));
    h.start(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    hosts.add(h);
    return h;
  }

  @Test
  void anAllowListedPeerConnectsWhileAnOutsiderHoldsHandshakesOpen() throws Exception {
    HostKey keyA = HostKey.generate(RANDOM);
    HostKey keyB = HostKey.generate(RANDOM);
    Host a = host(keyA, Set.of(keyB.peerId()));
    Host b = host(keyB, Set.of(keyA.peerId()));
    InetSocketAddress target = new InetSocketAddress("127.0.0.1", a.listenAddrs().get(0).tcpAddress().orElseThrow().getPort());
    InetAddress outsider = InetAddress.getByName("127.0.0.2");
    int held = 0;
    for (int i = 0; i < FLOOD_CONNECTIONS; i++) {
      Socket s = new Socket();
      s.setSoLinger(true, 0);
      s.bind(new InetSocketAddress(outsider, 0));
      flood.add(s);
      try {
        s.connect(target, 1_000);
        OutputStream out = s.getOutputStream();
        out.write(new byte[] {0x13, '/', 'm', 'u', 'l'});
        out.flush();
        held++;
      } catch (IOException refused) {
        // reset by the host: fine, it is what the host should do
      }
    }
    assertThat(held).isPositive();
    assertThat(b.dial(a.listenAddrs().get(0).withPeerId(a.peerId())).get(5, TimeUnit.SECONDS))
        .as("the allow-listed peer's dial in").isEqualTo(a.peerId());
    a.disconnect(b.peerId());
    awaitDisconnected(a, b);
    assertThat(a.dial(b.listenAddrs().get(0).withPeerId(b.peerId())).get(5, TimeUnit.SECONDS))
        .as("the flooded host's own dial out").isEqualTo(b.peerId());
    assertThat(a.handshakesOpen()).as("handshakes the outsider holds").isLessThanOrEqualTo(P2pConfig.defaults().admission().handshakesInboundPerIpMax());
  }

  private static void awaitDisconnected(Host a, Host b) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while ((a.isConnected(b.peerId()) || b.isConnected(a.peerId())) && System.nanoTime() < deadline) Thread.sleep(20);
  }
}
