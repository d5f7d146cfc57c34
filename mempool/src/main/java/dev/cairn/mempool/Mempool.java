package dev.cairn.mempool;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.encoding.CodecException;
import dev.cairn.ledger.execution.Candidate;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.state.StateReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Predicate;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pending transactions, admitted only if they could execute on top of the current head: well-formed, right
 * chain, valid signature (checked once, see {@link SignatureCache}), a member sender, a nonce not yet used and
 * within {@link MempoolConfig#nonceGapMax} of the account's, and enough balance for all of the sender's
 * pending transfers. Bounded in count and bytes overall and per sender.
 *
 * <p>Thread-safe: RPC threads and gossip admit while the block producer selects and prunes. All methods
 * hold one lock; each is O(sender's pending txs) or O(pool) for selection and pruning, which run once per
 * block.
 */
public final class Mempool {
  private static final Logger log = LoggerFactory.getLogger(Mempool.class);

  private final String chainId;
  private final MempoolConfig config;
  private final SignatureCache signatures;
  /** Senders in order of their first pending transaction: the round-robin order of block selection. */
  private final LinkedHashMap<Address, SenderQueue> senders = new LinkedHashMap<>();
  private final Map<Hash, Pending> byId = new HashMap<>();
  private long bytes;
  /** Admissions since start, for metrics: counted outside the pool's lock, so no admission waits on a scrape. */
  private final LongAdder accepted = new LongAdder();
  private final Map<Admission.Reason, LongAdder> rejected = new EnumMap<>(Admission.Reason.class);

  public Mempool(String chainId, MempoolConfig config, SignatureCache signatures) {
    this.chainId = chainId;
    this.config = config;
    this.signatures = signatures;
    for (Admission.Reason reason : Admission.Reason.values()) {
      rejected.put(reason, new LongAdder());
    }
  }

  /** Transactions admitted since start (from clients and peers alike). */
  public long acceptedCount() {
    return accepted.sum();
  }

  /** Transactions refused since start, by reason (every reason present, 0 if none). */
  public Map<Admission.Reason, Long> rejectedCounts() {
    Map<Admission.Reason, Long> out = new EnumMap<>(Admission.Reason.class);
    rejected.forEach((reason, count) -> out.put(reason, count.sum()));
    return out;
  }

  /** The sender's address is kept because deriving it from the public key costs a SHA-256. */
  private record Pending(Hash id, Transaction tx, Address sender, Bytes encoded, long spend) {
    Candidate candidate() {
      return new Candidate(tx, id, encoded.size());
    }
  }

  /** One sender's pending txs by nonce, and the account nonce and balance seen at the last head. */
  private static final class SenderQueue {
    final TreeMap<Long, Pending> byNonce = new TreeMap<>();
    long accountNonce;
    long balance;
    long pendingSpend;
  }

  /**
   * An encoded transaction decoded, checked for its chain and hashed once ({@link #decode}), or the refusal
   * admission will give it: what {@link #preverifyDecoded} and {@link #admit(Decoding, StateReader)} take, so a
   * caller that preverifies a batch and then admits each transaction decodes each once. Opaque: only this
   * class makes and reads one, so its id always is the hash of its bytes.
   */
  public sealed interface Decoding {}

  private record Decoded(Bytes encoded, Transaction tx, Hash id) implements Decoding {}

  /** Counted and logged only when admission reaches it ({@link #reject}). */
  private record Refused(Admission.Reason reason, String detail) implements Decoding {}

  /**
   * Decodes {@code encoded} for admission: the decoded transaction with its id, or the refusal (malformed,
   * wrong chain) that {@link #admit(Bytes, StateReader)} would give. Pure: counts nothing, changes no state.
   */
  public Decoding decode(Bytes encoded) {
    Transaction tx;
    try {
      tx = TransactionCodec.decode(encoded);
    } catch (CodecException e) {
      return new Refused(Admission.Reason.MALFORMED, e.getMessage());
    }
    if (!tx.chainId().equals(chainId)) {
      return new Refused(Admission.Reason.WRONG_CHAIN_ID,
          "transaction is for chain '" + tx.chainId() + "', this is '" + chainId + "'");
    }
    return new Decoded(encoded, tx, TransactionCodec.id(encoded));
  }

  /**
   * Verifies together the signatures of those of {@code encoded} that {@link #admit} would verify, ahead
   * of admitting them one by one (a batch costs about half as much per signature). Skips what admit would
   * refuse before verifying: malformed, wrong chain, already pending. Changes no pool state.
   */
  public void preverify(List<Bytes> encoded) {
    List<Decoding> decoded = new ArrayList<>(encoded.size());
    for (Bytes one : encoded) {
      decoded.add(decode(one));
    }
    preverifyDecoded(decoded);
  }

  /** {@link #preverify(List)} of transactions already {@link #decode decoded}. */
  public void preverifyDecoded(List<Decoding> decoded) {
    List<Hash> newIds = new ArrayList<>(decoded.size());
    List<Transaction> newTxs = new ArrayList<>(decoded.size());
    synchronized (this) {
      for (Decoding one : decoded) {
        if (one instanceof Decoded ok && !byId.containsKey(ok.id())) {
          newIds.add(ok.id());
          newTxs.add(ok.tx());
        }
      }
    }
    signatures.preverify(newIds, newTxs);
  }

  /**
   * Admits a batch in order, each transaction decoded and hashed once: the signatures of those not yet
   * pending are verified together first (as {@link #preverify}), then each is admitted against {@code head}
   * as {@link #admit} would. Stops after the first answer {@code stop} accepts, leaving the rest unadmitted.
   * Returns the answers given, in order.
   */
  public List<Admission> admitBatch(List<Bytes> encoded, StateReader head, Predicate<Admission> stop) {
    List<Decoding> decoded = new ArrayList<>(encoded.size());
    for (Bytes one : encoded) {
      decoded.add(decode(one));
    }
    preverifyDecoded(decoded);
    List<Admission> answers = new ArrayList<>(encoded.size());
    for (Decoding one : decoded) {
      Admission answer = admit(one, head);
      answers.add(answer);
      if (stop.test(answer)) {
        break;
      }
    }
    return answers;
  }

  /** Decodes and admits a transaction received from a client or a peer. */
  public Admission admit(Bytes encoded, StateReader head) {
    return admit(decode(encoded), head);
  }

  /** Admits a transaction already {@link #decode decoded}: the same answer {@link #admit(Bytes, StateReader)} gives its bytes. */
  public Admission admit(Decoding decoding, StateReader head) {
    return switch (decoding) {
      case Decoded ok -> admit(ok, head);
      case Refused refused -> reject(refused.reason(), refused.detail());
    };
  }

  private Admission admit(Decoded decoded, StateReader head) {
    Hash id = decoded.id();
    Transaction tx = decoded.tx();
    synchronized (this) {
      if (byId.containsKey(id)) {
        return reject(Admission.Reason.DUPLICATE, "transaction " + id + " is already pending");
      }
    }
    // Outside the lock: verification is the expensive step and needs no shared state.
    if (!signatures.verify(id, tx)) {
      return reject(Admission.Reason.BAD_SIGNATURE, "signature does not verify for sender " + tx.sender());
    }
    Address sender = tx.senderAddress();
    Account account = readAccount(head, sender);
    if (!account.has(Role.MEMBER)) {
      return reject(Admission.Reason.NOT_A_MEMBER, "sender " + sender + " does not hold the member role");
    }
    synchronized (this) {
      return admitLocked(id, tx, sender, decoded.encoded(), account);
    }
  }

  private Admission admitLocked(Hash id, Transaction tx, Address sender, Bytes encoded, Account account) {
    if (byId.containsKey(id)) {
      return reject(Admission.Reason.DUPLICATE, "transaction " + id + " is already pending");
    }
    SenderQueue queue = senders.get(sender);
    long accountNonce = queue == null ? account.nonce() : Math.max(queue.accountNonce, account.nonce());
    if (tx.nonce() < accountNonce) {
      return reject(Admission.Reason.NONCE_TOO_LOW, "nonce " + tx.nonce() + " already used; next is " + accountNonce);
    }
    if (tx.nonce() - accountNonce > config.nonceGapMax()) {
      return reject(
          Admission.Reason.NONCE_GAP_TOO_LARGE,
          "nonce " + tx.nonce() + " is more than " + config.nonceGapMax() + " ahead of the account nonce " + accountNonce);
    }
    if (queue != null && queue.byNonce.containsKey(tx.nonce())) {
      return reject(Admission.Reason.NONCE_ALREADY_PENDING, "another transaction with nonce " + tx.nonce() + " is pending");
    }
    if (queue != null && queue.byNonce.size() >= config.txsPerSenderMax()) {
      return reject(Admission.Reason.SENDER_LIMIT, "sender has " + config.txsPerSenderMax() + " pending transactions");
    }
    long spend = tx.payload() instanceof Payload.Transfer t ? t.amount() : 0;
    long balance = account.balance();
    long pendingSpend = queue == null ? 0 : queue.pendingSpend;
    if (spend > 0 && (pendingSpend > balance || spend > balance - pendingSpend)) {
      return reject(
          Admission.Reason.INSUFFICIENT_BALANCE,
          "balance " + balance + " cannot cover " + spend + " plus " + pendingSpend + " pending");
    }
    if (byId.size() >= config.txsMax() || bytes + encoded.size() > config.bytesMax()) {
      return reject(Admission.Reason.MEMPOOL_FULL, "mempool is full (" + byId.size() + " txs, " + bytes + " bytes)");
    }
    if (queue == null) {
      queue = new SenderQueue();
      senders.put(sender, queue);
    }
    queue.accountNonce = accountNonce;
    queue.balance = balance;
    Pending pending = new Pending(id, tx, sender, encoded, spend);
    queue.byNonce.put(tx.nonce(), pending);
    queue.pendingSpend += spend;
    byId.put(id, pending);
    bytes += encoded.size();
    accepted.increment();
    return new Admission.Accepted(id);
  }

  private Admission reject(Admission.Reason reason, String detail) {
    rejected.get(reason).increment();
    log.debug("tx rejected reason={} detail=\"{}\"", reason, detail);
    return new Admission.Rejected(reason, detail);
  }

  /**
   * Executable transactions for the next block: from each sender the run of consecutive nonces starting at
   * its account nonce, interleaved round-robin across senders (fair to small senders), within the limits.
   * Each comes with the id and encoded size the mempool already holds, so the builder hashes nothing again.
   */
  public synchronized List<Candidate> selectForBlock(int txsMax, long bytesMax) {
    List<Iterator<Pending>> runs = new ArrayList<>(senders.size());
    List<long[]> expected = new ArrayList<>(senders.size());
    for (SenderQueue queue : senders.values()) {
      runs.add(queue.byNonce.tailMap(queue.accountNonce, true).values().iterator());
      expected.add(new long[] {queue.accountNonce});
    }
    List<Candidate> out = new ArrayList<>(Math.min(txsMax, byId.size()));
    long used = 0;
    boolean progressed = true;
    while (progressed && out.size() < txsMax) {
      progressed = false;
      for (int i = 0; i < runs.size() && out.size() < txsMax; i++) {
        Iterator<Pending> run = runs.get(i);
        if (run == null || !run.hasNext()) {
          continue;
        }
        Pending next = run.next();
        long[] nonce = expected.get(i);
        if (next.tx().nonce() != nonce[0] || used + next.encoded().size() > bytesMax) {
          runs.set(i, null); // a nonce gap, or no room: the rest of this sender waits
          continue;
        }
        nonce[0]++;
        used += next.encoded().size();
        out.add(next.candidate());
        progressed = true;
      }
    }
    return out;
  }

  /**
   * After a block is final: drops what it included (by id: the executed block's receipts carry every
   * included transaction's id, so nothing is re-encoded or re-hashed here) and re-validates the rest against
   * the new head (nonces now used, members no longer members, transfers the new balance cannot cover).
   */
  public void onBlockCommitted(List<Hash> includedIds, StateReader head) {
    // Account reads (storage) happen outside the lock: RPC threads admitting transactions wait on it, and
    // under load this method held it for most of a block.
    List<Address> remaining;
    synchronized (this) {
      for (Hash id : includedIds) {
        Pending pending = byId.get(id);
        if (pending != null) {
          removeFromQueue(pending);
        }
      }
      senders.values().removeIf(queue -> queue.byNonce.isEmpty());
      remaining = new ArrayList<>(senders.keySet());
    }
    Map<Address, Account> accounts = new HashMap<>(remaining.size() * 2);
    for (Address sender : remaining) {
      accounts.put(sender, readAccount(head, sender));
    }
    int dropped = 0;
    synchronized (this) {
      for (Map.Entry<Address, Account> read : accounts.entrySet()) {
        SenderQueue queue = senders.get(read.getKey());
        if (queue == null) {
          continue;
        }
        Account account = read.getValue();
        queue.accountNonce = account.nonce();
        queue.balance = account.balance();
        dropped += revalidate(queue, account);
        if (queue.byNonce.isEmpty()) {
          senders.remove(read.getKey());
        }
      }
    }
    if (dropped > 0) {
      log.info("mempool revalidated dropped={} pending={}", dropped, size());
    }
  }

  /** Drops stale nonces, everything of a non-member, and transfers beyond the balance. */
  private int revalidate(SenderQueue queue, Account account) {
    int dropped = 0;
    NavigableMap<Long, Pending> stale = queue.byNonce.headMap(account.nonce(), false);
    List<Pending> remove = new ArrayList<>(stale.values());
    if (!account.has(Role.MEMBER)) {
      remove.addAll(queue.byNonce.tailMap(account.nonce(), true).values());
    } else {
      long spend = 0;
      for (Pending p : queue.byNonce.tailMap(account.nonce(), true).values()) {
        spend += p.spend();
        if (spend > account.balance() || spend < 0) {
          remove.add(p);
        }
      }
    }
    for (Pending p : remove) {
      removeOne(queue, p);
      dropped++;
    }
    return dropped;
  }

  private void removeFromQueue(Pending pending) {
    SenderQueue queue = senders.get(pending.sender());
    if (queue != null) {
      removeOne(queue, pending);
    } else {
      byId.remove(pending.id());
      bytes -= pending.encoded().size();
    }
  }

  private void removeOne(SenderQueue queue, Pending pending) {
    if (queue.byNonce.remove(pending.tx().nonce(), pending)) {
      queue.pendingSpend -= pending.spend();
    }
    if (byId.remove(pending.id()) != null) {
      bytes -= pending.encoded().size();
    }
  }

  public synchronized java.util.Optional<Transaction> get(Hash id) {
    Pending pending = byId.get(id);
    return pending == null ? java.util.Optional.empty() : java.util.Optional.of(pending.tx());
  }

  public synchronized boolean contains(Hash id) {
    return byId.containsKey(id);
  }

  public synchronized int size() {
    return byId.size();
  }

  public synchronized long bytes() {
    return bytes;
  }

  /**
   * The nonce a sender's next transaction should carry: past the committed {@code stateNonce} and past every
   * pending transaction that follows it without a gap (a pending tx above a gap does not count: the gap must
   * be filled first). Lets a wallet send several transactions before the first is final.
   */
  public synchronized long nextNonce(Address sender, long stateNonce) {
    SenderQueue queue = senders.get(sender);
    if (queue == null) {
      return stateNonce;
    }
    long next = Math.max(stateNonce, queue.accountNonce);
    // Bounded by the sender's pending count (txsPerSenderMax).
    while (queue.byNonce.containsKey(next)) {
      next++;
    }
    return next;
  }

  /** Up to {@code limit} pending transactions, senders in arrival order and each sender's by nonce. */
  public synchronized List<Transaction> pending(int limit) {
    List<Transaction> out = new ArrayList<>(Math.min(limit, byId.size()));
    for (SenderQueue queue : senders.values()) {
      for (Pending p : queue.byNonce.values()) {
        if (out.size() >= limit) {
          return out;
        }
        out.add(p.tx());
      }
    }
    return out;
  }

  static Account readAccount(StateReader state, Address address) {
    return state.get(StateKeys.account(address))
        .map(bytes -> LedgerCodec.decodeAccount(bytes.unsafeArray()))
        .orElse(Account.EMPTY);
  }
}
