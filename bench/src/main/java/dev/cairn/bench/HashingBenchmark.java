package dev.cairn.bench;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
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
 * One domain-separated SHA-256 ({@link Hashing#hash}) of the sizes the node hashes most: 64 bytes (a state
 * tree node: two child hashes), 32 bytes (a public key, for an address) and 150 bytes (a signed transfer, for
 * its id). Measures what starting a digest costs next to the hashing itself.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HashingBenchmark {
  @Param({"32", "64", "150"})
  public int size;

  private byte[] data;

  @Setup
  public void setup() {
    data = new byte[size];
    new Random(7).nextBytes(data);
  }

  @Benchmark
  public Hash hash() {
    return Hashing.hash(DomainTag.STATE_NODE, data);
  }
}
