package dev.cairn.bench;

import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.crypto.Signatures;
import java.util.ArrayList;
import java.util.List;
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
 * Batch verification against one-by-one verification of the same signatures, single-threaded. Scores are
 * microseconds per whole batch: divide by batchSize for the cost per signature. signaturesPerKey = 1 gives
 * every signature its own key; 2 makes each key sign twice, as members' keys repeat within a block. Keys are
 * in both paths' decoded-key caches after the first iteration, as they are on a running node.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Ed25519BatchBenchmark {
  @Param({"1", "16", "64", "256"})
  public int batchSize;

  @Param({"1", "2"})
  public int signaturesPerKey;

  private List<PublicKey> keys;
  private List<byte[]> messages;
  private List<Signature> signatures;

  @Setup
  public void setup() {
    keys = new ArrayList<>();
    messages = new ArrayList<>();
    signatures = new ArrayList<>();
    KeyPair pair = null;
    for (int i = 0; i < batchSize; i++) {
      if (i % signaturesPerKey == 0) {
        pair = KeyPair.fromSeedText("batch-bench-" + i);
      }
      byte[] message = new byte[32];
      message[0] = (byte) i;
      message[1] = (byte) (i >>> 8);
      keys.add(pair.publicKey());
      messages.add(message);
      signatures.add(pair.sign(message));
    }
    for (boolean verdict : Signatures.verifyAll(keys, messages, signatures)) {
      if (!verdict) {
        throw new IllegalStateException("a benchmark signature failed to verify");
      }
    }
  }

  @Benchmark
  public boolean[] batch() {
    return Signatures.verifyAll(keys, messages, signatures);
  }

  @Benchmark
  public boolean[] oneByOne() {
    boolean[] verdicts = new boolean[batchSize];
    for (int i = 0; i < batchSize; i++) {
      verdicts[i] = Signatures.verify(keys.get(i), messages.get(i), signatures.get(i));
    }
    return verdicts;
  }
}
