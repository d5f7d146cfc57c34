package dev.cairn.p2p.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.p2p.P2pConfig;
import dev.cairn.p2p.P2pStream;
import dev.cairn.p2p.StreamListener;
import dev.cairn.p2p.host.ConnectionGater;
import dev.cairn.p2p.host.Host;
import dev.cairn.p2p.host.IdentifyMessage;
import dev.cairn.p2p.host.PeerListener;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.identity.PeerId;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cairn's libp2p stack against js-libp2p 3.2.0 (TCP, Noise, Yamux, identify, ping) in both dial
 * directions. Runs in {@code mvn verify}; it needs node and npm and installs the pinned fixture itself.
 */
class JsInteropIT {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long WAIT_MILLIS = 20_000;
  private static final String ECHO = "/cairn/test-echo/1.0.0";

  @BeforeAll
  static void installFixture() throws Exception {
    String missing = JsPeer.missingTool();
    if (missing != null) {
      String msg = "!!!!! JsInteropIT SKIPPED: '" + missing + "' is not installed, so interop with js-libp2p is NOT tested !!!!!";
      System.err.println(msg);
      Assumptions.abort(msg);
    }
    JsPeer.install();
  }

  @Test
  void javaDialsJs() throws Exception {
    try (JsPeer js = JsPeer.start()) {
      String listening = js.await("listening", l -> true, WAIT_MILLIS);
      PeerId jsId = PeerId.fromBase58(JsPeer.field(listening, "peerId"));
      Identified seen = new Identified();
      Host java = host(ConnectionGater.allowlist(Set.of(jsId)), seen);
      try {
        assertThat(java.dial(Multiaddr.parse(JsPeer.firstAddr(listening))).get(WAIT_MILLIS, TimeUnit.MILLISECONDS)).isEqualTo(jsId);
        assertBothIdentifiedAndPinged(java, jsId, js, seen);
        byte[] payload = new byte[700_000]; // beyond one 256 KiB window each way
        RANDOM.nextBytes(payload);
        assertThat(echo(java, jsId, payload)).isEqualTo(payload);
      } finally {
        java.stop();
      }
    }
  }

  @Test
  void jsDialsJava() throws Exception {
    Identified seen = new Identified();
    Host java = host(ConnectionGater.open(), seen);
    try (JsPeer js = JsPeer.start("--dial", java.listenAddrs().get(0).withPeerId(java.peerId()).toString())) {
      PeerId jsId = PeerId.fromBase58(JsPeer.field(js.await("listening", l -> true, WAIT_MILLIS), "peerId"));
      js.await("dialed", l -> true, WAIT_MILLIS);
      assertBothIdentifiedAndPinged(java, jsId, js, seen);
      assertThat(java.peer(jsId).orElseThrow().outbound()).isFalse();
    } finally {
      java.stop();
    }
  }

  @Test
  void unlistedJsPeerIsRefusedAfterHandshake() throws Exception {
    Identified seen = new Identified();
    Host java = host(ConnectionGater.allowlist(Set.of()), seen);
    try (JsPeer js = JsPeer.start("--dial", java.listenAddrs().get(0).withPeerId(java.peerId()).toString())) {
      js.await("listening", l -> true, WAIT_MILLIS);
      // Java closes right after Noise, so js fails while negotiating the muxer.
      String failed = js.await("dialFailed", l -> true, WAIT_MILLIS);
      assertThat(failed).contains("MuxerUnavailableError");
      assertThat(java.peers()).isEmpty();
      assertThat(js.lines()).noneMatch(l -> l.contains("\"event\":\"identified\""));
    } finally {
      java.stop();
    }
  }

  /**
   * Holds a connection open while js's connection monitor pings every 10 s and its Yamux keep-alive runs
   * every 30 s. Off by default (it takes the soak time); run with
   * {@code mvn -pl p2p verify -Dit.test=JsInteropIT#connectionSurvivesJsKeepAlives -Dcairn.interop.soakSeconds=35}.
   */
  @Test
  void connectionSurvivesJsKeepAlives() throws Exception {
    long soakSeconds = Long.getLong("cairn.interop.soakSeconds", 0);
    Assumptions.assumeTrue(soakSeconds > 0, "soak not requested (-Dcairn.interop.soakSeconds=N)");
    Identified seen = new Identified();
    Host java = host(ConnectionGater.open(), seen);
    try (JsPeer js = JsPeer.start("--dial", java.listenAddrs().get(0).withPeerId(java.peerId()).toString())) {
      PeerId jsId = PeerId.fromBase58(JsPeer.field(js.await("listening", l -> true, WAIT_MILLIS), "peerId"));
      js.await("dialed", l -> true, WAIT_MILLIS);
      Thread.sleep(TimeUnit.SECONDS.toMillis(soakSeconds));
      assertThat(java.isConnected(jsId)).isTrue();
      assertThat(js.lines()).noneMatch(l -> l.contains("\"event\":\"disconnected\""));
      assertThat(java.ping(jsId).get(WAIT_MILLIS, TimeUnit.MILLISECONDS)).isPositive();
    } finally {
      java.stop();
    }
  }

  private static void assertBothIdentifiedAndPinged(Host java, PeerId jsId, JsPeer js, Identified seen) throws Exception {
    IdentifyMessage fromJs = seen.of(jsId).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    assertThat(fromJs.agentVersion()).startsWith("js-libp2p/");
    assertThat(fromJs.protocols()).contains("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", "/cairn/test-echo/1.0.0");
    assertThat(fromJs.listenAddrs()).isNotEmpty();
    Duration rtt = java.ping(jsId).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    assertThat(rtt).isPositive();
    assertThat(java.peer(jsId).orElseThrow().pingLatencyMillis()).isPresent();

    String me = java.peerId().toBase58();
    String jsSaw = js.await("identified", l -> l.contains(me), WAIT_MILLIS);
    assertThat(jsSaw).contains(Host.AGENT_VERSION, "/ipfs/ping/1.0.0", "/ipfs/id/1.0.0");
    js.await("ping", l -> l.contains(me), WAIT_MILLIS);
    // js streams 600 KB through our echo handler: our receive windows and WindowUpdates against js.
    String echo = js.await("echo", l -> l.contains(me), WAIT_MILLIS);
    assertThat(echo).contains("\"bytes\":600000", "\"ok\":true");
  }

  /**
   * A Cairn host as a node runs it: a p2p key of its own and its node key's binding in every Noise payload, so
   * every test here also proves that js-libp2p accepts (skips) Cairn's NoiseExtensions field.
   */
  private static Host host(ConnectionGater gater, Identified seen) {
    HostKey key = HostKey.generate(RANDOM);
    Host h = new Host(key, P2pConfig.defaults(), gater, java.util.Optional.of(dev.cairn.p2p.identity.PeerBinding.sign(
        dev.cairn.ledger.crypto.KeyPair.fromSeedText("interop-validator"), "cairn-interop", key.peerId())));
    h.addPeerListener(seen);
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
    return h;
  }

  private static byte[] echo(Host java, PeerId peer, byte[] payload) throws Exception {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    CompletableFuture<byte[]> done = new CompletableFuture<>();
    P2pStream s = java.newStream(peer, ECHO, new StreamListener() {
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
        done.completeExceptionally(new AssertionError("echo stream reset after " + got.size() + " bytes"));
      }
    }).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    assertThat(s.write(payload)).isEqualTo(P2pStream.WriteResult.QUEUED);
    s.closeWrite();
    return done.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
  }

  private static final class Identified implements PeerListener {
    private final Map<PeerId, CompletableFuture<IdentifyMessage>> byPeer = new ConcurrentHashMap<>();

    CompletableFuture<IdentifyMessage> of(PeerId p) {
      return byPeer.computeIfAbsent(p, k -> new CompletableFuture<>());
    }

    @Override
    public void identified(PeerId peer, IdentifyMessage m) {
      of(peer).complete(m);
    }
  }
}
