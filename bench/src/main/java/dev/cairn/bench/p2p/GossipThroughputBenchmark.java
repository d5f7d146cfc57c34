package dev.cairn.bench.p2p;

import dev.cairn.p2p.gossip.GossipConfig;
import dev.cairn.p2p.gossip.GossipService;
import dev.cairn.p2p.gossip.MessageIdFunction;
import dev.cairn.p2p.gossip.SignaturePolicy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * GossipSub between two hosts on loopback (TCP, Noise, Yamux): node a publishes 1 KiB messages, node b
 * receives them. One operation is one message delivered at b; a keeps at most {@code WINDOW} messages in
 * flight so that no queue overflows and drops. Run with and without signatures: StrictSign costs an
 * Ed25519 sign at a and a verify at b per message.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class GossipThroughputBenchmark {
  private static final String TOPIC = "bench";
  private static final int BATCH = 2_000;
  private static final int WINDOW = 1_000;

  @Param({"STRICT_SIGN", "STRICT_NO_SIGN"})
  public SignaturePolicy policy;

  private LoopbackPair pair;
  private GossipService a;
  private GossipService b;
  private final AtomicLong received = new AtomicLong();
  private long published;
  private final CpuPerOp cpu = new CpuPerOp();
  private final byte[] payload = new byte[1024];

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    pair = new LoopbackPair();
    GossipConfig config = GossipConfig.defaults().withSignaturePolicy(policy);
    // StrictNoSign as Cairn runs it: content ids (SHA-256 over topic and data). Unsigned messages are then
    // distinct only if their data differs: each payload carries a counter.
    MessageIdFunction ids = policy == SignaturePolicy.STRICT_SIGN
        ? MessageIdFunction.fromAndSeqno() : MessageIdFunction.contentHash();
    a = new GossipService(pair.a, pair.keyA, config, ids);
    b = new GossipService(pair.b, pair.keyB, config, ids);
    a.start();
    b.start();
    pair.start();
    b.subscribe(TOPIC, m -> received.incrementAndGet()).join();
    a.subscribe(TOPIC, m -> { }).join();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (a.query(r -> r.topicPeers(TOPIC).size()).join() == 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("b never subscribed at a");
      }
      Thread.sleep(10);
    }
  }

  @Setup(Level.Iteration)
  public void startCpu() {
    cpu.start(received.get());
  }

  @TearDown(Level.Iteration)
  public void reportCpu() {
    cpu.report("msg", received.get(), 1.0);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    a.close();
    b.close();
    pair.stop();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long publishAndDeliver1KiB() throws InterruptedException {
    long target = published + BATCH;
    while (published < target) {
      if (published - received.get() < WINDOW) {
        published++;
        writeCounter(published);
        a.publish(TOPIC, payload);
      } else {
        LockSupport.parkNanos(20_000);
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (received.get() < published) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("lost messages: published=" + published + " received=" + received.get());
      }
      LockSupport.parkNanos(20_000);
    }
    return received.get();
  }

  private void writeCounter(long n) {
    for (int i = 0; i < 8; i++) {
      payload[i] = (byte) (n >>> (8 * i));
    }
  }
}
