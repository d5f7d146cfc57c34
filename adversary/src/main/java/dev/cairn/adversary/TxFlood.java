package dev.cairn.adversary;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Limits;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.node.network.NetworkTopics;
import dev.cairn.node.network.TransactionBatchCodec;
import dev.cairn.p2p.identity.HostKey;
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
import java.util.TreeMap;

/**
 * Member accounts that flood the network with transactions that have valid signatures and no use: the
 * largest records, transfers of 1 unit to themselves, and transactions with nonce gaps that can never
 * execute. Half the senders (even indexes) send consecutive nonces (records and transfers alternating, which
 * blocks must carry), the other half only gapped ones (which sit in mempools until evicted). They go to every
 * node's JSON-RPC in batches, round-robin; with {@code gossip} they also go out as transaction batches on the
 * transaction topic from an allow-listed peer. Honest users' transactions must still be final within a bound,
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
    Map<String, Long> m = new LinkedHashMap<>(Map.of());
    m.put("sent_rpc", 0L);
    m.put("accepted_rpc", 0L);
    m.put("rpc_failures", 0L);
    m.put("sent_gossip", 0L);
    m.put("batches_gossip", 0L);
    Map<String, Long> refusals = new TreeMap<>();
    List<RpcClient> clients = rpcEndpoints.stream().map(u -> new RpcClient(u, Duration.ofSeconds(10))).toList();
    long[] nonces = new long[senders.size()];
    for (int s = 0; s < senders.size(); s++) {
      long next = clients.get(0).getAccount(Address.of(senders.get(s).publicKey())).nonce();
      nonces[s] = s % 2 == 0 ? next : next + GAP;
    }
    String txTopic = new NetworkTopics(chainId).transactions();
    PeerFaces faces = null;
    try {
      if (gossip.isPresent()) {
        NetworkAccess a = gossip.get();
        faces = PeerFaces.connect(HostKey.fromSeed(a.key().seed()), chainId, a.genesis().consensus().blockBytesMax(),
            a.targets(), List.of(txTopic), (face, received) -> { });
      }
      long counter = 0;
      int client = 0;
      double owed = 0;
      while (System.nanoTime() < deadline) {
        long tickStart = System.nanoTime();
        owed += txsPerSecond * TICK_MILLIS / 1_000.0;
        int due = (int) owed;
        owed -= due;
        List<Bytes> txs = new ArrayList<>(due);
        for (int i = 0; i < due; i++, counter++) {
          int s = (int) (counter % senders.size());
          txs.add(TransactionCodec.encode(useless(senders.get(s), nonces[s]++, counter)));
        }
        for (int from = 0; from < txs.size(); from += BATCH_LENGTH_MAX) {
          List<Bytes> batch = txs.subList(from, Math.min(txs.size(), from + BATCH_LENGTH_MAX));
          if (faces != null && (from / BATCH_LENGTH_MAX) % 2 == 1) {
            faces.publishAll(txTopic, TransactionBatchCodec.encode(batch));
            m.merge("sent_gossip", (long) batch.size(), Long::sum);
            m.merge("batches_gossip", 1L, Long::sum);
          } else {
            send(clients.get(client++ % clients.size()), batch, m, refusals);
          }
        }
        long sleepNanos = tickStart + TICK_MILLIS * 1_000_000 - System.nanoTime();
        if (sleepNanos > 0) {
          Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
        }
      }
    } finally {
      if (faces != null) {
        faces.close();
      }
    }
    m.putAll(refusals);
    return new AttackReport(name(), (System.nanoTime() - start) / 1_000_000, m);
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

  private static void send(RpcClient client, List<Bytes> batch, Map<String, Long> m, Map<String, Long> refusals) {
    m.merge("sent_rpc", (long) batch.size(), Long::sum);
    try {
      List<RpcAnswer> answers = client.sendTransactions(batch.stream().map(b -> "0x" + b.toHex()).toList());
      for (RpcAnswer answer : answers) {
        switch (answer) {
          case RpcAnswer.Result r -> m.merge("accepted_rpc", 1L, Long::sum);
          case RpcAnswer.Failure f -> refusals.merge("refused_" + Math.abs(f.error().code()), 1L, Long::sum);
        }
      }
    } catch (RpcException | UncheckedIOException e) {
      m.merge("rpc_failures", (long) batch.size(), Long::sum);
    }
  }
}
