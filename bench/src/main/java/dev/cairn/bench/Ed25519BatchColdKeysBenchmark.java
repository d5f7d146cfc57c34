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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Batch against one-by-one verification when no key is in a decoded-key cache: the batch verifier then pays
 * for decompressing each key and precomputing [2^128]A, BouncyCastle for decompressing it. Scores are
 * microseconds per batch of 64.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Ed25519BatchColdKeysBenchmark {
  /**
   * 64 signatures by keys neither decoded-key cache holds: a pool larger than both caches, walked in order,
   * so every key is a miss (a node after a restart, or a block of first-time senders).
   */
  @State(Scope.Benchmark)
  public static class ColdKeys {
    static final int POOL_SIZE = 70_000;
    static final int BATCH_SIZE = 64;
    final List<PublicKey> keys = new ArrayList<>();
    final List<byte[]> messages = new ArrayList<>();
    final List<Signature> signatures = new ArrayList<>();
    int next;

    @Setup
    public void setup() {
      byte[] message = new byte[32];
      for (int i = 0; i < POOL_SIZE; i++) {
        KeyPair pair = KeyPair.fromSeedText("cold-" + i);
        keys.add(pair.publicKey());
        messages.add(message);
        signatures.add(pair.sign(message));
      }
    }

    int take() {
      if (next + BATCH_SIZE > POOL_SIZE) {
        next = 0;
      }
      int from = next;
      next += BATCH_SIZE;
      return from;
    }
  }

  @Benchmark
  public boolean[] batchColdKeys64(ColdKeys cold) {
    int from = cold.take();
    int to = from + ColdKeys.BATCH_SIZE;
    return Signatures.verifyAll(
        cold.keys.subList(from, to), cold.messages.subList(from, to), cold.signatures.subList(from, to));
  }

  @Benchmark
  public boolean[] oneByOneColdKeys64(ColdKeys cold) {
    int from = cold.take();
    boolean[] verdicts = new boolean[ColdKeys.BATCH_SIZE];
    for (int i = 0; i < ColdKeys.BATCH_SIZE; i++) {
      int j = from + i;
      verdicts[i] = Signatures.verify(cold.keys.get(j), cold.messages.get(j), cold.signatures.get(j));
    }
    return verdicts;
  }
}
