package dev.cairn.bench;

import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.crypto.Signatures;
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

/** Ed25519 through BouncyCastle's low-level API: single-threaded throughput, i.e. per core. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CryptoBenchmark {
  private KeyPair key;
  private byte[] message;
  private Signature signature;

  @Setup
  public void setup() {
    key = KeyPair.fromSeedText("bench");
    message = new byte[32];
    for (int i = 0; i < message.length; i++) {
      message[i] = (byte) i;
    }
    signature = key.sign(message);
  }

  @Benchmark
  public Signature ed25519Sign() {
    return key.sign(message);
  }

  @Benchmark
  public boolean ed25519Verify() {
    return Signatures.verify(key.publicKey(), message, signature);
  }
}
