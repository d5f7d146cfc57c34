package dev.cairn.bench.p2p;

import dev.cairn.p2p.P2pConfig;
import dev.cairn.p2p.host.ConnectionGater;
import dev.cairn.p2p.host.Host;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.Multiaddr;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Two started hosts on 127.0.0.1, a dialled b. */
final class LoopbackPair {
  final HostKey keyA = HostKey.generate(new SecureRandom());
  final HostKey keyB = HostKey.generate(new SecureRandom());
  final Host a = new Host(keyA, P2pConfig.defaults(), ConnectionGater.open());
  final Host b = new Host(keyB, P2pConfig.defaults(), ConnectionGater.open());

  void start() {
    a.start(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    b.start(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    a.dial(b.listenAddrs().get(0).withPeerId(b.peerId())).orTimeout(10, TimeUnit.SECONDS).join();
  }

  void stop() {
    a.stop();
    b.stop();
  }
}
