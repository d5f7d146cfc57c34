package dev.cairn.rpc.ws;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.Address;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One live subscription on one connection to one {@link Topic}. It is created inactive and armed in the same
 * step that queues the subscribe answer ({@link WsConnection#send(String, java.util.List)}), so a client never
 * sees a notification before the id it belongs to, and misses no block finalized after it got that id.
 */
final class Subscription {
  private final String id;
  private final WsConnection connection;
  private final Topic topic;
  private final AtomicBoolean delivered = new AtomicBoolean();
  private volatile boolean armed;

  Subscription(String id, WsConnection connection, Topic topic) {
    this.id = Objects.requireNonNull(id, "id");
    this.connection = Objects.requireNonNull(connection, "connection");
    this.topic = Objects.requireNonNull(topic, "topic");
  }

  /** What a subscription watches; values compare by content, so a topic is the key of its watchers. */
  sealed interface Topic {
    /** Every finalized block's header. */
    record NewHeads() implements Topic {}

    /** One transaction's finality: notified exactly once, then removed. */
    record TxFinalized(Hash txId) implements Topic {
      public TxFinalized {
        Objects.requireNonNull(txId, "txId");
      }
    }

    /** Every finalized transaction that touches one account (sent by it, or naming it). */
    record Account(Address account) implements Topic {
      public Account {
        Objects.requireNonNull(account, "account");
      }
    }

    /** Every value one record takes (each successful put of it), as its block is finalized. */
    record Record(Address owner, String key) implements Topic {
      public Record {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(key, "key");
      }
    }
  }

  String id() {
    return id;
  }

  WsConnection connection() {
    return connection;
  }

  Topic topic() {
    return topic;
  }

  boolean isArmed() {
    return armed;
  }

  void arm() {
    armed = true;
  }

  /**
   * True for exactly one caller: a one-shot topic (txFinalized) may be delivered by the block listener and by
   * the arm-time chain lookup at once.
   */
  boolean claimDelivery() {
    return delivered.compareAndSet(false, true);
  }
}
