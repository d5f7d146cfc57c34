package dev.cairn.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.p2p.P2pConfig;
import dev.cairn.p2p.P2pStream;
import dev.cairn.p2p.StreamListener;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.identity.PeerId;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final String ECHO = "/cairn/test-echo/1.0.0";
  private final List<Host> hosts = new ArrayList<>();

  Host host(ConnectionGater gater) {
    Host h = new Host(HostKey.generate(RANDOM), P2pConfig.defaults(), gater);
    h.setStreamHandler(ECHO, stream -> new StreamListener() {
      @Override
      public void onData(P2pStream s, byte[] bytes) {
        s.write(bytes);
      }

      @Override
      public void onRemoteClosed(P2pStream s) {
        s.closeWrite();
      }
    });
    h.start(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    hosts.add(h);
    return h;
  }

  @AfterEach
  void stop() {
    hosts.forEach(Host::stop);
  }

  static Multiaddr addr(Host h) {
    return h.listenAddrs().get(0).withPeerId(h.peerId());
  }

  @Test
  void dialAuthenticatesIdentifiesPingsAndEchoes() throws Exception {
    Host a = host(ConnectionGater.open());
    Host b = host(ConnectionGater.open());
    CountDownLatch identified = new CountDownLatch(2);
    PeerListener l = new PeerListener() {
      @Override
      public void identified(PeerId peer, IdentifyMessage m) {
        identified.countDown();
      }
    };
    a.addPeerListener(l);
    b.addPeerListener(l);
    assertThat(a.dial(addr(b)).get(5, TimeUnit.SECONDS)).isEqualTo(b.peerId());
    assertThat(identified.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(a.dial(addr(b)).get(5, TimeUnit.SECONDS)).isEqualTo(b.peerId());
    assertThat(a.peer(b.peerId()).orElseThrow().connections()).isEqualTo(1);
    assertThat(a.peer(b.peerId()).orElseThrow().protocols()).contains(ECHO, "/ipfs/ping/1.0.0");
    assertThat(b.peer(a.peerId()).orElseThrow().listenAddrs()).containsExactlyElementsOf(a.listenAddrs());
    assertThat(a.peer(b.peerId()).orElseThrow().agentVersion()).isEqualTo(Host.AGENT_VERSION);

    Duration rtt = a.ping(b.peerId()).get(5, TimeUnit.SECONDS);
    assertThat(rtt).isPositive();
    assertThat(a.peer(b.peerId()).orElseThrow().pingLatencyMillis()).isPresent();
    assertThat(b.ping(a.peerId()).get(5, TimeUnit.SECONDS)).isPositive();

    byte[] big = new byte[1_500_000]; // several windows: exercises WindowUpdate flow control
    RANDOM.nextBytes(big);
    assertThat(echo(a, b.peerId(), big)).isEqualTo(big);
  }

  static byte[] echo(Host from, PeerId to, byte[] payload) throws Exception {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    CompletableFuture<byte[]> done = new CompletableFuture<>();
    P2pStream s = from.newStream(to, ECHO, new StreamListener() {
      @Override
      public void onData(P2pStream st, byte[] bytes) {
        got.writeBytes(bytes);
      }

      @Override
      public void onRemoteClosed(P2pStream st) {
        done.complete(got.toByteArray());
      }

      @Override
      public void onReset(P2pStream st) {
        done.completeExceptionally(new IllegalStateException("reset"));
      }
    }).get(5, TimeUnit.SECONDS);
    assertThat(s.write(payload)).isEqualTo(P2pStream.WriteResult.QUEUED);
    s.closeWrite();
    return done.get(10, TimeUnit.SECONDS);
  }

  @Test
  void connectionsBeyondTheLimitAreRefused() throws Exception {
    P2pConfig d = P2pConfig.defaults();
    P2pConfig one = new P2pConfig(d.handshakeTimeoutMillis(), d.streamNegotiationTimeoutMillis(), d.mssProposalsMax(),
        d.yamuxWindowBytes(), d.yamuxSendWindowBytesMax(), d.yamuxInboundStreamsMax(), d.yamuxOutboundStreamsMax(),
        d.yamuxPingIntervalMillis(), d.streamWriteQueueBytesMax(), 1, d.identifyMessageBytesMax(),
        d.identifyTimeoutMillis(), d.pingIntervalMillis(), d.pingTimeoutMillis());
    Host limited = new Host(HostKey.generate(RANDOM), one, ConnectionGater.open());
    limited.start(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    hosts.add(limited);
    Host a = host(ConnectionGater.open());
    Host c = host(ConnectionGater.open());
    a.dial(addr(limited)).get(5, TimeUnit.SECONDS);
    assertThatThrownBy(() -> c.dial(addr(limited)).get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    assertThat(limited.peers()).extracting(PeerInfo::peer).containsExactly(a.peerId());
  }

  @Test
  void unknownProtocolIsRefused() throws Exception {
    Host a = host(ConnectionGater.open());
    Host b = host(ConnectionGater.open());
    a.dial(addr(b)).get(5, TimeUnit.SECONDS);
    assertThatThrownBy(() -> a.newStream(b.peerId(), "/nope/1.0.0", (s, bytes) -> { }).get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
    assertThat(echo(a, b.peerId(), "still fine".getBytes())).isEqualTo("still fine".getBytes());
  }

  @Test
  void dialToWrongPeerIdIsRefused() {
    Host a = host(ConnectionGater.open());
    Host b = host(ConnectionGater.open());
    PeerId someoneElse = HostKey.generate(RANDOM).peerId();
    Multiaddr wrong = b.listenAddrs().get(0).withPeerId(someoneElse);
    assertThatThrownBy(() -> a.dial(wrong).get(5, TimeUnit.SECONDS)).hasMessageContaining("peer_id_mismatch");
    assertThat(a.isConnected(b.peerId())).isFalse();
  }

  @Test
  void gaterRefusesUnlistedPeersBothWaysAndRevocationDisconnects() throws Exception {
    Host b = host(ConnectionGater.allowlist(Set.of()));
    Host a = host(ConnectionGater.open());
    // a dials b; b's gater refuses a right after the handshake.
    assertThatThrownBy(() -> a.dial(addr(b)).get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    assertThat(b.peers()).isEmpty();
    // Once allowed, the same dial succeeds.
    b.gater().allow(a.peerId());
    a.dial(addr(b)).get(5, TimeUnit.SECONDS);
    // The dialer completes on the muxer echo; the listener registers the connection on its own thread.
    assertThat(eventually(() -> b.isConnected(a.peerId()))).isTrue();
    // Revoking disconnects it.
    b.gater().revoke(a.peerId());
    assertThat(eventually(() -> !b.isConnected(a.peerId()))).isTrue();
  }

  static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) return false;
      Thread.sleep(10);
    }
    return true;
  }
}
