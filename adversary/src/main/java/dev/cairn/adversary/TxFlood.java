package dev.cairn.adversary;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Limits;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.network.NetworkTopics;
import dev.cairn.network.TransactionBatchCodec;
import dev.cairn.rpc.client.RpcAnswer;
import dev.cairn.rpc.client.RpcClient;
import dev.cairn.rpc.client.RpcException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Member accounts that flood the network with transactions that have valid signatures and no use: the
 * largest records, transfers of 1 unit to themselves, and transactions with nonce gaps that can never
 * execute. Each path (every node's JSON-RPC, and with {@code gossip} the transaction topic, as an
 * allow-listed peer publishing transaction batches) has a worker thread, its share of the rate and its own
 * senders (at least two): every other one of them sends consecutive nonces (records and transfers
 * alternating, which blocks must carry), the others only nonces {@value #GAP} ahead of their account (which
 * can never execute and sit in mempools within the per-sender and nonce-gap limits). Honest users' transactions must still be final within a bound,
 * and consensus votes must not be starved.
 *
 * <p>Report: {@code sent_rpc}, {@code accepted_rpc}, refusals by JSON-RPC error code ({@code refused_<code>}),
 * {@code rpc_failures} (calls that got no answer), {@code sent_gossip}, {@code batches_gossip}.
 */
public record TxFlood(List<URI> rpcEndpoints, String chainId, List<KeyPair> senders, int txsPerSecond,
    Optional<NetworkAccess> gossip) implements Attack {
  private static final long TICK_MILLIS = 100;
  private static final int BATCH_LENGTH_MAX = 500;
  /** How far ahead of the account nonce a gapped sender starts: beyond any consecutive run, within node limits. */
  private static final long GAP = 1_000;

  public TxFlood {
    rpcEndpoints = List.copyOf(rpcEndpoints);
    senders = List.copyOf(senders);
    if (rpcEndpoints.isEmpty() || senders.size() < 2 || txsPerSecond < 1) {
      throw new IllegalArgumentException("an endpoint, two senders and txsPerSecond >= 1 required");
    }
  }

  @Override
  public String name() {
    return "tx-flood";
  }

  @Override
  public AttackReport run(Duration duration) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    int paths = rpcEndpoints.size() + (gossip.isPresent() ? 1 : 0);
    if (senders.size() < 2 * paths) {
      throw new IllegalArgumentException("need two senders per path (each endpoint, and gossip): " + 2 * paths
          + " senders, got " + senders.size());
    }
    Counters counters = new Counters();
    PeerFaces faces = null;
    String txTopic = new NetworkTopics(chainId).transactions();
    List<Thread> workers = new ArrayList<>(paths);
    try {
      if (gossip.isPresent()) {
        NetworkAccess a = gossip.get();
        faces = PeerFaces.connect(a.key(), chainId, a.genesis().consensus().blockBytesMax(),
            a.targets(), List.of(txTopic), (face, received) -> { });
      }
      RpcClient nonceSource = new RpcClient(rpcEndpoints.get(0), Duration.ofSeconds(10));
      for (int w = 0; w < paths; w++) {
        List<KeyPair> own = new ArrayList<>();
        long[] nonces = new long[(senders.size() + paths - 1) / paths];
        for (int s = w; s < senders.size(); s += paths) {
          long next = nonceSource.getAccount(Address.of(senders.get(s).publicKey())).nonce();
          nonces[own.size()] = own.size() % 2 == 0 ? next : next + GAP; // every other sender only leaves gaps
          own.add(senders.get(s));
        }
        Sink sink = w < rpcEndpoints.size()
            ? rpcSink(new RpcClient(rpcEndpoints.get(w), Duration.ofSeconds(10)), counters)
            : gossipSink(faces, txTopic, counters);
        Thread worker = new Thread(() -> flood(own, nonces, (double) txsPerSecond / paths, deadline, sink),
            "tx-flood-" + w);
        worker.setDaemon(true);
        worker.start();
        workers.add(worker);
      }
      for (Thread worker : workers) {
        worker.join();
      }
    } finally {
      workers.forEach(Thread::interrupt);
      if (faces != null) {
        faces.close();
      }
    }
    return new AttackReport(name(), (System.nanoTime() - start) / 1_000_000, counters.snapshot());
  }

  /** Where one worker's batches go. */
  private interface Sink {
    void send(List<Bytes> batch);
  }

  private static Sink rpcSink(RpcClient client, Counters counters) {
    return batch -> {
      counters.add("sent_rpc", batch.size());
      try {
        for (RpcAnswer answer : client.sendTransactions(batch.stream().map(b -> "0x" + b.toHex()).toList())) {
          switch (answer) {
            case RpcAnswer.Result r -> counters.add("accepted_rpc", 1);
            case RpcAnswer.Failure f -> counters.add("refused_" + Math.abs(f.error().code()), 1);
          }
        }
      } catch (RpcException | UncheckedIOException e) {
        counters.add("rpc_failures", batch.size());
      }
    };
  }

  private static Sink gossipSink(PeerFaces faces, String topic, Counters counters) {
    return batch -> {
      faces.publishAll(topic, TransactionBatchCodec.encode(batch));
      counters.add("sent_gossip", batch.size());
      counters.add("batches_gossip", 1);
    };
  }

  /** One worker: its senders round-robin at {@code txsPerSecond}, in batches of one tick. */
  private void flood(List<KeyPair> own, long[] nonces, double txsPerSecond, long deadline, Sink sink) {
    long counter = 0;
    double owed = 0;
    try {
      while (System.nanoTime() < deadline) {
        long tickStart = System.nanoTime();
        owed += txsPerSecond * TICK_MILLIS / 1_000.0;
        int due = (int) Math.min(owed, BATCH_LENGTH_MAX);
        owed = Math.min(owed - due, BATCH_LENGTH_MAX); // a slow target is not owed an ever-growing backlog
        List<Bytes> txs = new ArrayList<>(due);
        for (int i = 0; i < due; i++, counter++) {
          int s = (int) (counter % own.size());
          txs.add(TransactionCodec.encode(useless(own.get(s), nonces[s]++, counter)));
        }
        if (!txs.isEmpty()) {
          sink.send(txs);
        }
        long sleepNanos = tickStart + TICK_MILLIS * 1_000_000 - System.nanoTime();
        if (sleepNanos > 0) {
          Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Counters shared by the workers, reported in a fixed order (refusals by code last). */
  private static final class Counters {
    private final Map<String, java.util.concurrent.atomic.LongAdder> values = new java.util.concurrent.ConcurrentSkipListMap<>();

    void add(String name, long delta) {
      values.computeIfAbsent(name, n -> new java.util.concurrent.atomic.LongAdder()).add(delta);
    }

    Map<String, Long> snapshot() {
      Map<String, Long> out = new LinkedHashMap<>();
      for (String name : List.of("sent_rpc", "accepted_rpc", "rpc_failures", "sent_gossip", "batches_gossip")) {
        out.put(name, values.containsKey(name) ? values.get(name).sum() : 0L);
      }
      values.forEach((name, value) -> out.putIfAbsent(name, value.sum()));
      return out;
    }
  }

  /** A record of the largest size or a transfer of 1 to oneself, alternating. */
  private Transaction useless(KeyPair sender, long nonce, long counter) {
    Payload payload = counter % 4 < 2
        ? new Payload.RecordPut("flood-" + (counter % 1_000), Bytes.wrap(filler(counter)))
        : new Payload.Transfer(Address.of(sender.publicKey()), 1);
    return Transaction.sign(chainId, sender, nonce, payload);
  }

  private static byte[] filler(long counter) {
    byte[] value = new byte[Limits.RECORD_VALUE_BYTES_MAX];
    for (int i = 0; i < 8; i++) {
      value[i] = (byte) (counter >>> (8 * i));
    }
    return value;
  }
}
