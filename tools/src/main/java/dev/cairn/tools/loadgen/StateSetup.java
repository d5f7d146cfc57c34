package dev.cairn.tools.loadgen;

import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.rpc.client.AccountInfo;
import dev.cairn.rpc.client.RpcAnswer;
import dev.cairn.rpc.client.RpcClient;
import dev.cairn.rpc.client.RpcError;
import dev.cairn.rpc.client.RpcTransportException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The setup phase of the large-state bench: creates state accounts {@code [from, to)} that the genesis could
 * not hold, one transfer of 1 unit to each, through the node's ordinary JSON-RPC and block path. Transfers
 * are signed and sent a chunk at a time (memory stays bounded for a million accounts); sending pauses while
 * the node's mempool holds more than {@code pendingMax}. Transfer {@code j} is sent by sender {@code j % K}
 * with nonce {@code j / K}; at the end every sender's nonce is checked, and the nonces become the measured
 * load's starting nonces.
 */
public final class StateSetup {
  static final int CHUNK_TXS = 20_000;
  static final int RETRIES_MAX = 5;
  private final RpcClient rpc;
  private final String chainId;
  private final List<KeyPair> senders;
  private final int batchLength;
  private final int connections;
  private final long pendingMax;
  private final PrintStream progress;
  private final LongAdder accepted = new LongAdder();
  private final Map<Integer, LongAdder> rejectedByCode = new ConcurrentHashMap<>();
  private volatile long pending;

  /** What the setup did; {@code nonceBase[s]} is sender s's nonce after it. */
  public record Result(long txs, double seconds, long[] nonceBase) {}

  public StateSetup(URI rpcUrl, String chainId, List<KeyPair> senders, int batchLength, int connections,
      long pendingMax, PrintStream progress) {
    this.rpc = new RpcClient(rpcUrl, Duration.ofSeconds(60));
    this.chainId = chainId;
    this.senders = List.copyOf(senders);
    this.batchLength = batchLength;
    this.connections = connections;
    this.pendingMax = pendingMax;
    this.progress = progress;
  }

  public Result create(int from, int to) throws InterruptedException {
    int total = to - from;
    long start = System.nanoTime();
    long lastPrint = start;
    for (int chunk = 0; chunk < total; chunk += CHUNK_TXS) {
      String[] raw = sign(from, chunk, Math.min(total, chunk + CHUNK_TXS));
      submit(raw);
      long now = System.nanoTime();
      if (now - lastPrint >= 5_000_000_000L || chunk + CHUNK_TXS >= total) {
        lastPrint = now;
        printProgress(chunk + raw.length, total, start, now);
      }
    }
    awaitEmptyMempool(total, start);
    long[] nonces = checkNonces(total);
    return new Result(total, (System.nanoTime() - start) / 1e9, nonces);
  }

  private String[] sign(int from, int first, int end) {
    int k = senders.size();
    String[] raw = new String[end - first];
    IntStream.range(first, end).parallel().forEach(j -> {
      Transaction tx = Transaction.sign(chainId, senders.get(j % k), j / k,
          new Payload.Transfer(StateAccounts.address(from + j), 1));
      raw[j - first] = "0x" + TransactionCodec.encode(tx).toHex();
    });
    return raw;
  }

  private void submit(String[] raw) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      workers.add(Thread.ofPlatform().name("setup-" + c).start(() -> {
        for (int b = next.getAndIncrement() * batchLength; b < raw.length; b = next.getAndIncrement() * batchLength) {
          sendWithBackpressure(raw, b, Math.min(raw.length, b + batchLength));
        }
      }));
    }
    for (Thread w : workers) {
      w.join();
    }
    if (!rejectedByCode.isEmpty()) {
      throw new IllegalStateException("setup transfers were refused (JSON-RPC code=count " + counts()
          + "): a refused transfer leaves a nonce gap, so the setup stops here");
    }
  }

  private void sendWithBackpressure(String[] raw, int from, int to) {
    try {
      while (pending > pendingMax) {
        Thread.sleep(100);
        pending = pendingCount();
      }
      List<String> batch = Arrays.asList(raw).subList(from, to);
      try {
        for (RpcAnswer answer : withRetries(() -> rpc.sendTransactions(batch))) {
          switch (answer) {
            case RpcAnswer.Failure f -> rejectedByCode.computeIfAbsent(f.error().code(), c -> new LongAdder()).increment();
            case RpcAnswer.Result r -> accepted.increment();
          }
        }
      } catch (RpcError refusedAsAWhole) {
        rejectedByCode.computeIfAbsent(refusedAsAWhole.code(), c -> new LongAdder()).add(batch.size());
      }
      pending = pendingCount();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("setup interrupted", e);
    }
  }

  private void awaitEmptyMempool(int total, long start) throws InterruptedException {
    long lastChange = System.nanoTime();
    long last = -1;
    while ((pending = pendingCount()) > 0) {
      long now = System.nanoTime();
      if (pending != last) {
        last = pending;
        lastChange = now;
      } else if (now - lastChange > 120_000_000_000L) {
        throw new IllegalStateException("setup: " + pending + " transfers still pending after 120 s without progress");
      }
      printProgress(total, total, start, now);
      Thread.sleep(5_000);
    }
  }

  private long[] checkNonces(int total) {
    int k = senders.size();
    long[] nonces = new long[k];
    for (int s = 0; s < k; s += 500) {
      int end = Math.min(k, s + 500);
      List<Address> addresses = senders.subList(s, end).stream().map(KeyPair::address).toList();
      List<AccountInfo> accounts = withRetries(() -> rpc.getAccounts(addresses));
      for (int i = s; i < end; i++) {
        long expected = total / k + (i < total % k ? 1 : 0);
        long nonce = accounts.get(i - s).nonce();
        if (nonce != expected) {
          throw new IllegalStateException("setup: sender " + i + " is at nonce " + nonce + ", expected " + expected);
        }
        nonces[i] = nonce;
      }
    }
    return nonces;
  }

  private void printProgress(long sent, long total, long start, long now) {
    double seconds = (now - start) / 1e9;
    long done = Math.max(0, accepted.sum() - pending);
    double rate = done / Math.max(seconds, 1e-3);
    progress.printf(Locale.ROOT, "setup: %d/%d state accounts created (%.0f%%), sent %d, pending %d, %.0f tx/s, %.0f s, eta %.0f s%n",
        done, total, 100.0 * done / total, sent, pending, rate, seconds, rate > 0 ? (total - done) / rate : Double.NaN);
  }

  private long pendingCount() {
    return withRetries(rpc::nodeInfo).pendingTransactions();
  }

  /** A call tried up to {@link #RETRIES_MAX} times while no answer arrives; an error answer is final. */
  private <T> T withRetries(Supplier<T> call) {
    RpcTransportException last = null;
    for (int attempt = 0; attempt < RETRIES_MAX; attempt++) {
      try {
        return call.get();
      } catch (RpcTransportException e) {
        last = e;
      }
    }
    throw new IllegalStateException("setup: node " + rpc.endpoint() + " did not answer after " + RETRIES_MAX + " attempts: "
        + last.getMessage(), last);
  }

  private Map<Integer, Long> counts() {
    Map<Integer, Long> out = new TreeMap<>();
    rejectedByCode.forEach((code, n) -> out.put(code, n.sum()));
    return out;
  }
}
