package dev.cairn.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.p2p.P2pConfig;
import dev.cairn.p2p.P2pStream;
import dev.cairn.p2p.StreamListener;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.yamux.YamuxHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A peer that breaks the protocol loses its connection; the host's other connections keep working. */
class MisbehavingPeerTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private Host server;
  private Host good;
  private InetSocketAddress serverAddress;

  @BeforeEach
  void start() throws Exception {
    P2pConfig d = P2pConfig.defaults();
    P2pConfig fastHandshake = new P2pConfig(1_000, d.streamNegotiationTimeoutMillis(), d.mssProposalsMax(),
        d.yamuxWindowBytes(), d.yamuxSendWindowBytesMax(), d.yamuxInboundStreamsMax(), d.yamuxOutboundStreamsMax(),
        d.yamuxPingIntervalMillis(), d.streamWriteQueueBytesMax(), d.connectionsMax(), d.identifyMessageBytesMax(),
        d.identifyTimeoutMillis(), d.pingIntervalMillis(), d.pingTimeoutMillis());
    server = new Host(HostKey.generate(RANDOM), fastHandshake, ConnectionGater.open());
    server.setStreamHandler(HostTest.ECHO, stream -> new StreamListener() {
      @Override
      public void onData(P2pStream s, byte[] bytes) {
        s.write(bytes);
      }

      @Override
      public void onRemoteClosed(P2pStream s) {
        s.closeWrite();
      }
    });
    server.start(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    serverAddress = server.listenAddrs().get(0).tcpAddress().orElseThrow();
    good = new Host(HostKey.generate(RANDOM), P2pConfig.defaults(), ConnectionGater.open());
    good.start(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    good.dial(HostTest.addr(server)).get(5, TimeUnit.SECONDS);
    assertThat(HostTest.eventually(() -> server.isConnected(good.peerId()))).isTrue();
  }

  @AfterEach
  void stop() {
    good.stop();
    server.stop();
  }

  private void goodConnectionStillWorks() throws Exception {
    assertThat(HostTest.echo(good, server.peerId(), "still here".getBytes())).isEqualTo("still here".getBytes());
    assertThat(server.isConnected(good.peerId())).isTrue();
  }

  private RawPeer upgraded() throws Exception {
    RawPeer raw = new RawPeer(serverAddress).upgrade(HostKey.generate(RANDOM));
    assertThat(raw.remote).isEqualTo(server.peerId());
    return raw;
  }

  @Test
  void garbageAfterHandshakeDisconnects() throws Exception {
    try (RawPeer raw = upgraded()) {
      byte[] garbage = new byte[64];
      RANDOM.nextBytes(garbage);
      garbage[0] = 7; // not Yamux version 0
      raw.sendEncrypted(garbage);
      assertThat(raw.closedByRemoteWithin(3000)).isTrue();
    }
    goodConnectionStillWorks();
  }

  @Test
  void dataFrameOverTheWindowDisconnects() throws Exception {
    try (RawPeer raw = upgraded()) {
      ByteBuf b = Unpooled.buffer();
      new YamuxHeader(YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_SYN, 1, 0).write(b);
      new YamuxHeader(YamuxHeader.TYPE_DATA, 0, 1, P2pConfig.YAMUX_INITIAL_WINDOW_BYTES + 1).write(b);
      byte[] frames = new byte[b.readableBytes()];
      b.readBytes(frames);
      raw.sendEncrypted(frames);
      assertThat(raw.closedByRemoteWithin(3000)).isTrue();
    }
    goodConnectionStillWorks();
  }

  @Test
  void noiseFrameWithBadTagDisconnects() throws Exception {
    try (RawPeer raw = upgraded()) {
      byte[] forged = new byte[100];
      RANDOM.nextBytes(forged);
      raw.writeFrame(forged);
      assertThat(raw.closedByRemoteWithin(3000)).isTrue();
    }
    goodConnectionStillWorks();
  }

  @Test
  void garbageInsteadOfMultistreamDisconnects() throws Exception {
    try (RawPeer raw = new RawPeer(serverAddress)) {
      raw.writeRaw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
      assertThat(raw.closedByRemoteWithin(3000)).isTrue();
    }
    goodConnectionStillWorks();
  }

  @Test
  void silentPeerIsDroppedAtTheHandshakeTimeout() throws Exception {
    try (RawPeer raw = new RawPeer(serverAddress)) {
      raw.negotiatePlain("/noise"); // then never sends Noise message 1
      assertThat(raw.closedByRemoteWithin(4000)).isTrue();
    }
    goodConnectionStillWorks();
  }

  @Test
  void unlistedPeerIsRefusedRightAfterNoise() throws Exception {
    server.gater().setAllowlist(Set.of(good.peerId()));
    try (RawPeer raw = new RawPeer(serverAddress)) {
      raw.negotiatePlain("/noise");
      // Run the handshake by hand; the server drops us after reading message 3.
      try {
        raw.upgradeAfterSecurityMss(HostKey.generate(RANDOM));
      } catch (java.io.IOException expected) {
        // the muxer negotiation cannot complete: the server closed
      }
      assertThat(raw.closedByRemoteWithin(3000)).isTrue();
    }
    assertThat(server.peers()).extracting(PeerInfo::peer).containsExactly(good.peerId());
    goodConnectionStillWorks();
  }
}
