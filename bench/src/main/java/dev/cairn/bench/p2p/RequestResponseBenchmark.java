package dev.cairn.bench.p2p;

import com.google.protobuf.ByteString;
import dev.cairn.p2p.reqresp.RequestResponse;
import dev.cairn.p2p.reqresp.RequestResponseConfig;
import dev.cairn.p2p.reqresp.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Request/response between two hosts on loopback: a small request answered by a 4 MiB response, one
 * request at a time on a fresh stream. MiB/s = 4 / (seconds per op).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class RequestResponseBenchmark {
  private static final String PROTOCOL = "/cairn/bench/blob/1";
  private static final ByteString BLOB = ByteString.copyFrom(new byte[4 << 20]);

  private LoopbackPair pair;
  private RequestResponse a;
  private RequestResponse b;
  private final CpuPerOp cpu = new CpuPerOp();
  private long ops;

  @Setup(Level.Trial)
  public void setUp() {
    pair = new LoopbackPair();
    a = new RequestResponse(pair.a, RequestResponseConfig.defaults());
    b = new RequestResponse(pair.b, RequestResponseConfig.defaults());
    b.register(PROTOCOL, (from, request) -> CompletableFuture.completedFuture(BLOB));
    pair.start();
  }

  @Setup(Level.Iteration)
  public void startCpu() {
    cpu.start(ops);
  }

  @TearDown(Level.Iteration)
  public void reportCpu() {
    cpu.report("MiB", ops, 4.0);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    a.close();
    b.close();
    pair.stop();
  }

  @Benchmark
  public int fourMiBResponse() {
    Response r = a.request(pair.b.peerId(), PROTOCOL, new byte[] {1}).join();
    if (!(r instanceof Response.Ok ok)) {
      throw new IllegalStateException("request failed: " + r);
    }
    ops++;
    return ok.body().size();
  }
}
