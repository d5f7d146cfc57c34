package dev.cairn.bench.p2p;

import dev.cairn.p2p.gossip.GossipConfig;
import dev.cairn.p2p.gossip.GossipRouter;
import dev.cairn.p2p.gossip.GossipTransport;
import dev.cairn.p2p.gossip.MessageIdFunction;
import dev.cairn.p2p.gossip.PublishResult;
import dev.cairn.p2p.gossip.SignaturePolicy;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.PeerId;
import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The router state machines alone, no sockets: router a publishes a 1 KiB message (sign, encode), router b
 * receives it (decode, dedup, verify, deliver), on one thread. The CPU ceiling of one router thread, to
 * compare with {@link GossipThroughputBenchmark} over real hosts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class GossipRouterBenchmark {
  private static final String TOPIC = "bench";

  @Param({"STRICT_SIGN", "STRICT_NO_SIGN"})
  public SignaturePolicy policy;

  private GossipRouter a;
  private GossipRouter b;
  private long delivered;
  private long counter;
  private final byte[] payload = new byte[1024];

  @Setup
  public void setUp() {
    HostKey keyA = HostKey.generate(new SecureRandom());
    HostKey keyB = HostKey.generate(new SecureRandom());
    GossipConfig config = GossipConfig.defaults().withSignaturePolicy(policy).withFloodPublish(true);
    MessageIdFunction ids = policy == SignaturePolicy.STRICT_SIGN
        ? MessageIdFunction.fromAndSeqno() : MessageIdFunction.contentHash();
    GossipRouter[] routers = new GossipRouter[2];
    routers[0] = new GossipRouter(config, keyA, ids, direct(routers, 1, keyA.peerId()), Runnable::run, new Random(1), 0);
    routers[1] = new GossipRouter(config, keyB, ids, direct(routers, 0, keyB.peerId()), Runnable::run, new Random(2), 0);
    a = routers[0];
    b = routers[1];
    a.peerConnected(keyB.peerId());
    b.peerConnected(keyA.peerId());
    a.subscribe(TOPIC, m -> { });
    b.subscribe(TOPIC, m -> delivered++);
  }

  private static GossipTransport direct(GossipRouter[] routers, int to, PeerId from) {
    return new GossipTransport() {
      @Override
      public void send(PeerId peer, byte[] rpc, Priority priority) {
        routers[to].rpcReceived(from, rpc);
      }

      @Override
      public void disconnect(PeerId peer, String reason) {}
    };
  }

  @Benchmark
  public long publishAndDeliver1KiB() {
    counter++;
    for (int i = 0; i < 8; i++) {
      payload[i] = (byte) (counter >>> (8 * i));
    }
    if (!(a.publish(TOPIC, payload) instanceof PublishResult.Published)) {
      throw new IllegalStateException("publish refused");
    }
    if (counter % 1_000 == 0) {
      // Heartbeats keep the seen cache and mcache at their steady-state size.
      a.heartbeat(counter);
      b.heartbeat(counter);
    }
    return delivered;
  }
}
