package dev.cairn.tools.loadgen;

import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Transfers signed before the clock starts, so signing never limits the submit rate. Transaction {@code i}
 * is sent by account {@code i % accounts} with nonce {@code i / accounts} to the next account, so
 * consecutive transactions (one batch) come from distinct senders and each sender's nonces rise in
 * submission order.
 */
public final class PresignedLoad {
  private final String[] rawHex;
  private final String[] ids;
  private final Map<String, Integer> indexById;

  private PresignedLoad(String[] rawHex, String[] ids, Map<String, Integer> indexById) {
    this.rawHex = rawHex;
    this.ids = ids;
    this.indexById = indexById;
  }

  /** Where transfer {@code i} goes. */
  public interface Recipients {
    Address of(int txIndex);
  }

  /** Deterministic member keys for a bench genesis: account {@code i} of {@code count}. */
  public static List<KeyPair> accounts(int count) {
    return IntStream.range(0, count).parallel().mapToObj(i -> KeyPair.fromSeedText("cairn-bench-account-" + i)).toList();
  }

  /** Signs {@code txs} transfers in parallel over all cores. */
  public static PresignedLoad sign(String chainId, List<KeyPair> accounts, int txs) {
    int k = accounts.size();
    return sign(chainId, accounts, txs, new long[k], i -> accounts.get((i + 1) % k).address());
  }

  /**
   * Signs {@code txs} transfers of 1 unit: tx {@code i} from account {@code i % K} with nonce
   * {@code nonceBase[i % K] + i / K} to {@code recipients.of(i)}.
   */
  public static PresignedLoad sign(String chainId, List<KeyPair> accounts, int txs, long[] nonceBase, Recipients recipients) {
    int k = accounts.size();
    if (nonceBase.length != k) {
      throw new IllegalArgumentException("one nonce base per account: " + nonceBase.length + " for " + k);
    }
    String[] raw = new String[txs];
    String[] ids = new String[txs];
    IntStream.range(0, txs).parallel().forEach(i -> {
      KeyPair from = accounts.get(i % k);
      Payload payload = new Payload.Transfer(recipients.of(i), 1);
      Transaction tx = Transaction.sign(chainId, from, nonceBase[i % k] + i / k, payload);
      raw[i] = "0x" + TransactionCodec.encode(tx).toHex();
      ids[i] = normalizeId(tx.id().toHex());
    });
    Map<String, Integer> index = new HashMap<>(txs * 2);
    for (int i = 0; i < txs; i++) {
      index.put(ids[i], i);
    }
    return new PresignedLoad(raw, ids, index);
  }

  /** Tx ids compared without a 0x prefix, lowercase: the RPC and {@code Hash.toHex} may differ in prefix. */
  static String normalizeId(String hex) {
    String h = hex.startsWith("0x") ? hex.substring(2) : hex;
    return h.toLowerCase(java.util.Locale.ROOT);
  }

  public int size() {
    return rawHex.length;
  }

  /** Tx id {@code index}: lowercase hex without a 0x prefix. */
  public String id(int index) {
    return ids[index];
  }

  public String rawHex(int index) {
    return rawHex[index];
  }

  /** Transactions {@code from} (inclusive) to {@code to} (exclusive) as {@code 0x} hex: a read-only view. */
  public List<String> rawHex(int from, int to) {
    return Collections.unmodifiableList(Arrays.asList(rawHex).subList(from, to));
  }

  /** The index of a transaction by its id, or -1 if it is not one of ours. */
  public int indexOf(String txIdHex) {
    Integer i = indexById.get(normalizeId(txIdHex));
    return i == null ? -1 : i;
  }
}
