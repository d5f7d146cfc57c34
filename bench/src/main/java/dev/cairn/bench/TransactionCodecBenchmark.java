package dev.cairn.bench;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
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

/** The canonical codec on a signed TRANSFER: encode, decode (with all bounds checks) and the tx id hash. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TransactionCodecBenchmark {
  private Transaction tx;
  private Bytes encoded;

  @Setup
  public void setup() {
    KeyPair sender = KeyPair.fromSeedText("sender");
    KeyPair recipient = KeyPair.fromSeedText("recipient");
    tx = Transaction.sign("cairn-bench", sender, 42, new Payload.Transfer(recipient.address(), 1_000));
    encoded = TransactionCodec.encode(tx);
  }

  @Benchmark
  public Bytes encode() {
    return TransactionCodec.encode(tx);
  }

  @Benchmark
  public Transaction decode() {
    return TransactionCodec.decode(encoded);
  }

  @Benchmark
  public Hash txId() {
    return TransactionCodec.id(encoded);
  }
}
