package dev.cairn.p2p.reqresp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.cairn.p2p.P2pConfig;
import dev.cairn.p2p.P2pStream;
import dev.cairn.p2p.StreamListener;
import dev.cairn.p2p.host.ConnectionGater;
import dev.cairn.p2p.host.Host;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.Multiaddr;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Request/response between two real hosts on loopback. */
class RequestResponseTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ECHO = "/cairn/test/echo/1";
  private static final String HANG = "/cairn/test/hang/1";
  private static final String FAIL = "/cairn/test/fail/1";
  private static final String BIG = "/cairn/test/big/1";
  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<CompletableFuture<ByteString>> hanging = new ArrayList<>();

  private record Side(Host host, RequestResponse rr) {}

  private Side side(RequestResponseConfig config) {
    Host host = new Host(HostKey.generate(RANDOM), P2pConfig.defaults(), ConnectionGater.open());
    RequestResponse rr = new RequestResponse(host, config);
    rr.register(ECHO, (from, request) -> CompletableFuture.completedFuture(request));
    rr.register(HANG, (from, request) -> {
      CompletableFuture<ByteString> never = new CompletableFuture<>();
      hanging.add(never);
      return never;
    });
    rr.register(FAIL, (from, request) -> {
      throw new RequestRefusedException("no such block: " + request.toStringUtf8());
    });
    rr.register(BIG, (from, request) -> CompletableFuture.completedFuture(ByteString.copyFrom(new byte[5 << 20])));
    host.start(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    open.add(rr);
    open.add(host::stop);
    return new Side(host, rr);
  }

  private static RequestResponseConfig config(long timeoutMillis, int responseBytesMax, int outboundMax, int inboundMax) {
    return new RequestResponseConfig(timeoutMillis, 4 << 20, responseBytesMax, outboundMax, inboundMax);
  }

  private static void connect(Side a, Side b) {
    a.host().dial(b.host().listenAddrs().get(0).withPeerId(b.host().peerId())).orTimeout(5, TimeUnit.SECONDS).join();
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private static Response await(CompletableFuture<Response> f) {
    return f.orTimeout(15, TimeUnit.SECONDS).join();
  }

  private static Response.Reason reason(Response r) {
    assertThat(r).isInstanceOf(Response.Failed.class);
    return ((Response.Failed) r).reason();
  }

  @Test
  void answersSmallAndFourMebibyteRequests() {
    Side a = side(RequestResponseConfig.defaults());
    Side b = side(RequestResponseConfig.defaults());
    connect(a, b);
    assertThat(await(a.rr().request(b.host().peerId(), ECHO, "ping".getBytes())))
        .isEqualTo(new Response.Ok(ByteString.copyFromUtf8("ping")));
    assertThat(await(a.rr().request(b.host().peerId(), ECHO, new byte[0]))).isEqualTo(new Response.Ok(ByteString.EMPTY));
    byte[] big = new byte[4 << 20];
    RANDOM.nextBytes(big);
    assertThat(await(b.rr().request(a.host().peerId(), ECHO, big))).isEqualTo(new Response.Ok(ByteString.copyFrom(big)));
  }

  @Test
  void failuresAreNamed() {
    Side a = side(config(2_000, 1 << 20, 16, 16));
    Side b = side(config(2_000, 6 << 20, 16, 16));
    connect(a, b);
    var peer = b.host().peerId();
    assertThat(reason(await(a.rr().request(peer, HANG, new byte[1])))).isEqualTo(Response.Reason.TIMEOUT);
    Response failed = await(a.rr().request(peer, FAIL, "h=7".getBytes()));
    assertThat(failed).isEqualTo(new Response.Failed(Response.Reason.REMOTE_ERROR, "no such block: h=7"));
    assertThat(reason(await(a.rr().request(peer, ECHO, new byte[(4 << 20) + 1]))))
        .isEqualTo(Response.Reason.REQUEST_TOO_LARGE);
    // b sends 5 MiB, within its own limit; a accepts at most 1 MiB.
    assertThat(reason(await(a.rr().request(peer, BIG, new byte[0])))).isEqualTo(Response.Reason.RESPONSE_TOO_LARGE);
    // a's limit is within b's: b refuses to send 5 MiB when its own responseBytesMax is 1 MiB.
    assertThat(reason(await(b.rr().request(a.host().peerId(), BIG, new byte[0]))))
        .isEqualTo(Response.Reason.REMOTE_ERROR);
    assertThat(reason(await(a.rr().request(peer, "/cairn/test/nobody/1", new byte[0]))))
        .isEqualTo(Response.Reason.UNSUPPORTED);
    // Everything above released its slot: the echo still works.
    assertThat(await(a.rr().request(peer, ECHO, "ok".getBytes()))).isInstanceOf(Response.Ok.class);
  }

  @Test
  void concurrencyIsBoundedOnBothSides() {
    Side a = side(config(2_000, 1 << 20, 2, 16));
    Side b = side(config(2_000, 1 << 20, 16, 1));
    connect(a, b);
    var first = a.rr().request(b.host().peerId(), HANG, new byte[0]);
    var second = a.rr().request(b.host().peerId(), HANG, new byte[0]);
    var third = a.rr().request(b.host().peerId(), HANG, new byte[0]);
    assertThat(reason(await(third))).isEqualTo(Response.Reason.TOO_MANY_REQUESTS);
    // b serves one request of a's at a time: one of the first two is answered BUSY.
    List<Response.Reason> reasons = List.of(reason(await(first)), reason(await(second)));
    assertThat(reasons).containsExactlyInAnyOrder(Response.Reason.REMOTE_BUSY, Response.Reason.TIMEOUT);
  }

  @Test
  void aDisconnectFailsTheRequestAsClosed() {
    Side a = side(config(10_000, 1 << 20, 16, 16));
    Side b = side(config(10_000, 1 << 20, 16, 16));
    connect(a, b);
    var pending = a.rr().request(b.host().peerId(), HANG, new byte[0]);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (hanging.isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    b.host().stop();
    assertThat(reason(await(pending))).isEqualTo(Response.Reason.CLOSED);
  }

  @Test
  void aGarbageRequestResetsTheStreamAndTheResponderKeepsServing() throws Exception {
    Side a = side(config(2_000, 1 << 20, 16, 16));
    Side b = side(config(2_000, 1 << 20, 16, 16));
    connect(a, b);
    CompletableFuture<String> outcome = new CompletableFuture<>();
    P2pStream raw = a.host().newStream(b.host().peerId(), ECHO, new StreamListener() {
      @Override
      public void onData(P2pStream s, byte[] bytes) {
        outcome.complete("data");
      }

      @Override
      public void onRemoteClosed(P2pStream s) {
        outcome.complete("closed");
      }

      @Override
      public void onReset(P2pStream s) {
        outcome.complete("reset");
      }
    }).get(5, TimeUnit.SECONDS);
    raw.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f}); // length far over the limit
    assertThat(outcome.get(5, TimeUnit.SECONDS)).isEqualTo("reset");
    assertThat(await(a.rr().request(b.host().peerId(), ECHO, "still here".getBytes()))).isInstanceOf(Response.Ok.class);
  }
}
