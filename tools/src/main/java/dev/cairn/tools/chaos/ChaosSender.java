package dev.cairn.tools.chaos;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.rpc.client.RpcError;
import dev.cairn.rpc.client.RpcException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One transfer/record sender of the campaign load: a loop over its {@link SenderWindow} (which decides) doing the
 * I/O the window asks for (sign, send, record in the history), asleep until the window's next due time or an
 * event: a transaction reported final (by a {@link ChainFollower}), a node gone down.
 */
final class ChaosSender {
  /**
   * Refusals that mean the node holds the transaction or its chain does (already known, nonce already pending,
   * nonce too low: final already): it is waited for, as if accepted.
   */
  static final Set<Integer> KNOWN_TO_THE_NODE = Set.of(-32007, -32006, -32004);

  /** What a sender hears besides its own clock. */
  private sealed interface Event {
    record Finalized(String txId) implements Event {}

    record NodeDown(String node) implements Event {}

    record Wake() implements Event {}
  }

  /** What a sender signs next, given its nonce. */
  @FunctionalInterface
  interface PayloadSource {
    Payload next(long nonce, SplittableRandom random);
  }

  private final KeyPair key;
  private final String senderText;
  private final SenderWindow window;
  private final PayloadSource payloads;
  private final SplittableRandom random;
  private final List<ChaosNode> nodes;
  private final History history;
  private final Map<String, ChaosSender> inFlight;
  private final long idleWaitMaxMillis;
  private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
  /** The kind of each transaction in flight, for the history's submit lines. */
  private final Map<String, String> kindById = new HashMap<>();
  private volatile boolean running = true;
  private volatile long resends;
  private volatile long heldBack;

  /**
   * @param inFlight every sender's transactions in flight by id, shared with the followers
   * @param idleWaitMaxMillis the longest it sleeps without looking at its window
   */
  ChaosSender(KeyPair key, SenderWindow window, PayloadSource payloads, SplittableRandom random, List<ChaosNode> nodes,
      History history, Map<String, ChaosSender> inFlight, long idleWaitMaxMillis) {
    this.key = key;
    this.senderText = key.address().toText();
    this.window = window;
    this.payloads = payloads;
    this.random = random;
    this.nodes = List.copyOf(nodes);
    this.history = history;
    this.inFlight = inFlight;
    this.idleWaitMaxMillis = idleWaitMaxMillis;
  }

  /** A follower saw {@code txId} final. */
  void finalized(String txId) {
    events.add(new Event.Finalized(txId));
  }

  /** {@code node} went down: what went there goes elsewhere now. */
  void nodeDown(String node) {
    events.add(new Event.NodeDown(node));
  }

  /** Signs and sends nothing more; the loop ends at its next look. */
  void stop() {
    running = false;
    events.add(new Event.Wake());
  }

  /** Sends after a transaction's first, as of the loop's last idle moment. */
  long resends() {
    return resends;
  }

  /** Slots its full window turned away, as of the loop's last idle moment. */
  long heldBack() {
    return heldBack;
  }

  void run() {
    try {
      while (running) {
        for (Event e = events.poll(); e != null; e = events.poll()) {
          apply(e);
        }
        Optional<SenderWindow.Action> action = window.next(history.now(), liveNodes());
        if (action.isPresent()) {
          act(action.get());
          continue;
        }
        publishCounts();
        long wait = Math.max(1, Math.min(window.wakeMillis() - history.now(), idleWaitMaxMillis));
        Event e = events.poll(wait, TimeUnit.MILLISECONDS);
        if (e != null) {
          apply(e);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      publishCounts();
    }
  }

  private void publishCounts() {
    resends = window.resends();
    heldBack = window.heldBack();
  }

  private void apply(Event event) {
    switch (event) {
      case Event.Finalized f -> {
        window.finalized(f.txId());
        kindById.remove(f.txId());
      }
      case Event.NodeDown d -> window.nodeDown(d.node(), history.now());
      case Event.Wake w -> {
        // only to end the wait
      }
    }
  }

  private void act(SenderWindow.Action action) {
    switch (action) {
      case SenderWindow.Action.Sign sign -> {
        Payload payload = payloads.next(sign.nonce(), random);
        Bytes encoded = TransactionCodec.encode(Transaction.sign(ChaosNetwork.CHAIN_ID, key, sign.nonce(), payload));
        String id = "0x" + TransactionCodec.id(encoded).toHex();
        // Interned: a handful of kinds over up to millions of history lines.
        kindById.put(id, payload.kind().name().toLowerCase(Locale.ROOT).intern());
        window.signed(sign.nonce(), id, encoded, history.now());
        // In the shared map before its first send: a follower may see it in a block right after.
        inFlight.put(id, this);
      }
      case SenderWindow.Action.Send send -> send(send);
    }
  }

  private void send(SenderWindow.Action.Send send) {
    SenderWindow.InFlight tx = send.tx();
    ChaosNode node = node(send.node());
    history.add(new History.Submitted(tx.txId(), senderText, tx.nonce(), kindById.get(tx.txId()), node.name(),
        history.now()));
    try {
      node.call(rpc -> rpc.sendTransaction(tx.encoded()));
      history.add(new History.Answered(tx.txId(), node.name(), true, 0, "", history.now()));
      window.sent(tx.nonce(), node.name(), history.now());
    } catch (RpcError e) {
      history.add(new History.Answered(tx.txId(), node.name(), false, e.code(), e.getMessage(), history.now()));
      if (KNOWN_TO_THE_NODE.contains(e.code())) {
        window.sent(tx.nonce(), node.name(), history.now());
      } else {
        window.refused(tx.nonce(), node.name(), history.now());
      }
    } catch (RpcException e) {
      history.add(new History.Answered(tx.txId(), node.name(), false, -1, "transport: " + e.getMessage(), history.now()));
      window.unreachable(tx.nonce(), node.name(), history.now());
    }
  }

  private List<String> liveNodes() {
    List<String> up = new ArrayList<>(nodes.size());
    for (ChaosNode node : nodes) {
      if (node.up()) {
        up.add(node.name());
      }
    }
    return up;
  }

  private ChaosNode node(String name) {
    for (ChaosNode node : nodes) {
      if (node.name().equals(name)) {
        return node;
      }
    }
    throw new IllegalArgumentException("no node " + name);
  }
}
