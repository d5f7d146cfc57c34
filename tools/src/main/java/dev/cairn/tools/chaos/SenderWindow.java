package dev.cairn.tools.chaos;

import dev.cairn.ledger.bytes.Bytes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One campaign sender's transactions in flight and what to do next, without I/O or a clock (the caller passes the
 * time and the nodes that are up), so that a seeded test can play faults against it.
 *
 * <p>Submissions are paced open-loop: a slot every {@code intervalMillis}, whatever the chain does. A slot is
 * used when fewer than {@code inFlightMax} transactions are in flight (signed, not yet reported final); slots
 * that find the window full wait, at most {@code inFlightMax} of them, and the ones beyond are held back (counted,
 * never sent): the in-flight bound is the back-pressure.
 *
 * <p>Each nonce is signed once, in order ({@link #signed} refuses anything else), and its signed bytes are kept
 * until it is final: every re-send is those bytes, so the chain can hold only that transaction under that nonce.
 * A transaction is re-sent to another node at once when its node is known dead (killed, or the connection
 * failed), after {@link #REJECTED_RETRY_MILLIS} when its node refused it for a passing reason (mempool full, nonce
 * gap), and after {@code resendAfterMillis} when nothing was heard (silent loss). Lower nonces go first, so a
 * killed node's nonce {@code n} reaches a live node promptly while {@code n+1..n+k} wait there in other nodes'
 * mempools.
 */
final class SenderWindow {
  /** After a refusal that may pass (mempool full, nonce gap on a node that is behind), the next try elsewhere. */
  static final long REJECTED_RETRY_MILLIS = 1_000;

  /** What the sender does next. */
  sealed interface Action {
    /** Sign the next payload with this nonce and hand it to {@link #signed}. */
    record Sign(long nonce) implements Action {}

    /** Send these bytes to {@code node} (a first send or a re-send), then report with {@link #sent} or a failure. */
    record Send(InFlight tx, String node, boolean resend) implements Action {}
  }

  /**
   * A signed transaction not yet reported final.
   *
   * @param node where it went last (null before its first send)
   * @param dueMillis when it is (re-)sent next, unless reported final first
   * @param avoid a node not to send it to next (dead or refusing), or null
   */
  record InFlight(long nonce, String txId, Bytes encoded, String node, long dueMillis, String avoid, int sends) {}

  private final int inFlightMax;
  private final long intervalMillis;
  private final long resendAfterMillis;
  private final SplittableRandom random;
  private final TreeMap<Long, InFlight> inFlight = new TreeMap<>();
  private final Map<String, Long> nonceById = new HashMap<>();
  private long nextNonce;
  private long nextSlotMillis;
  private int dueSlots;
  private long heldBack;
  private long resends;

  /**
   * @param firstSlotMillis when the first slot falls (senders are staggered across one interval)
   * @param random picks the node each send goes to
   */
  SenderWindow(int inFlightMax, long intervalMillis, long firstSlotMillis, long resendAfterMillis,
      SplittableRandom random) {
    if (inFlightMax < 1 || intervalMillis < 1 || resendAfterMillis < 1) {
      throw new IllegalArgumentException("in-flight " + inFlightMax + ", interval " + intervalMillis + " ms and re-send "
          + resendAfterMillis + " ms must be positive");
    }
    this.inFlightMax = inFlightMax;
    this.intervalMillis = intervalMillis;
    this.resendAfterMillis = resendAfterMillis;
    this.nextSlotMillis = firstSlotMillis;
    this.random = random;
  }

  /**
   * The next thing to do at {@code nowMillis}, given the nodes that are up: first the due (re-)sends, lowest nonce
   * first, then a new signature if a slot is due and the window has room. Empty: wait until {@link #wakeMillis}
   * or an event.
   */
  Optional<Action> next(long nowMillis, List<String> liveNodes) {
    countSlots(nowMillis);
    if (!liveNodes.isEmpty()) {
      for (InFlight tx : inFlight.values()) {
        if (tx.dueMillis() <= nowMillis) {
          return Optional.of(new Action.Send(tx, pick(liveNodes, tx.avoid()), tx.sends() > 0));
        }
      }
    }
    if (dueSlots > 0 && inFlight.size() < inFlightMax) {
      return Optional.of(new Action.Sign(nextNonce));
    }
    return Optional.empty();
  }

  /** The transaction for {@code nonce} was signed: it is in flight, due to be sent now. */
  void signed(long nonce, String txId, Bytes encoded, long nowMillis) {
    if (nonce != nextNonce) {
      throw new IllegalStateException("nonce " + nonce + " signed where " + nextNonce + " comes next: each nonce is signed "
          + "once, in order");
    }
    if (dueSlots < 1 || inFlight.size() >= inFlightMax) {
      throw new IllegalStateException("nonce " + nonce + " signed without a due slot and room in the window");
    }
    inFlight.put(nonce, new InFlight(nonce, txId, encoded, null, nowMillis, null, 0));
    nonceById.put(txId, nonce);
    nextNonce++;
    dueSlots--;
  }

  /** The node answered (accepted, or already holds it): wait for finality, re-send if silent too long. */
  void sent(long nonce, String node, long nowMillis) {
    update(nonce, tx -> new InFlight(nonce, tx.txId(), tx.encoded(), node, nowMillis + resendAfterMillis, null,
        tx.sends() + 1));
  }

  /** The node refused it for a reason that may pass: another node shortly. */
  void refused(long nonce, String node, long nowMillis) {
    update(nonce, tx -> new InFlight(nonce, tx.txId(), tx.encoded(), node, nowMillis + REJECTED_RETRY_MILLIS, node,
        tx.sends() + 1));
  }

  /** The node could not be reached (connection refused, reset, timed out): another node now. */
  void unreachable(long nonce, String node, long nowMillis) {
    update(nonce, tx -> new InFlight(nonce, tx.txId(), tx.encoded(), node, nowMillis, node, tx.sends() + 1));
  }

  /** {@code node} died: whatever went to it and is not final goes to another node now. */
  void nodeDown(String node, long nowMillis) {
    List<InFlight> hit = new ArrayList<>();
    for (InFlight tx : inFlight.values()) {
      if (node.equals(tx.node())) {
        hit.add(tx);
      }
    }
    for (InFlight tx : hit) {
      inFlight.put(tx.nonce(), new InFlight(tx.nonce(), tx.txId(), tx.encoded(), tx.node(), Math.min(tx.dueMillis(),
          nowMillis), node, tx.sends()));
    }
  }

  /** A node reported {@code txId} final; false if it is not (or no longer) in flight here. */
  boolean finalized(String txId) {
    Long nonce = nonceById.remove(txId);
    return nonce != null && inFlight.remove(nonce) != null;
  }

  /** The earliest time something is due: a (re-)send, or a slot the window has room for. */
  long wakeMillis() {
    long wake = Long.MAX_VALUE;
    for (InFlight tx : inFlight.values()) {
      wake = Math.min(wake, tx.dueMillis());
    }
    if (inFlight.size() < inFlightMax) {
      wake = Math.min(wake, dueSlots > 0 ? Long.MIN_VALUE : nextSlotMillis);
    }
    return wake;
  }

  int inFlight() {
    return inFlight.size();
  }

  long nextNonce() {
    return nextNonce;
  }

  /** Slots not used because the window stayed full (the offered load the back-pressure turned away). */
  long heldBack() {
    return heldBack;
  }

  /** Sends after a transaction's first. */
  long resends() {
    return resends;
  }

  /** The in-flight transactions, lowest nonce first. */
  List<InFlight> pending() {
    return List.copyOf(inFlight.values());
  }

  private void countSlots(long nowMillis) {
    while (nextSlotMillis <= nowMillis) {
      nextSlotMillis += intervalMillis;
      if (dueSlots < inFlightMax) {
        dueSlots++;
      } else {
        heldBack++;
      }
    }
  }

  private void update(long nonce, java.util.function.UnaryOperator<InFlight> change) {
    InFlight tx = inFlight.get(nonce);
    if (tx == null) {
      return; // reported final meanwhile
    }
    if (tx.sends() > 0) {
      resends++;
    }
    inFlight.put(nonce, change.apply(tx));
  }

  private String pick(List<String> liveNodes, String avoid) {
    if (avoid != null && liveNodes.size() > 1 && liveNodes.contains(avoid)) {
      int i = random.nextInt(liveNodes.size() - 1);
      return liveNodes.get(i >= liveNodes.indexOf(avoid) ? i + 1 : i);
    }
    return liveNodes.get(random.nextInt(liveNodes.size()));
  }
}
