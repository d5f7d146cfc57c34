package dev.cairn.rpc.ws;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.Address;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One live subscription on one connection. It is created inactive and armed in the same step that queues
 * the subscribe answer ({@link WsConnection#send(String, java.util.List)}), so a client never sees a
 * notification before the id it belongs to, and misses no block finalized after it got that id.
 */
sealed interface Subscription {
  String id();

  WsConnection connection();

  boolean isArmed();

  void arm();

  /** Every finalized block's header. */
  final class NewHeads implements Subscription {
    private final String id;
    private final WsConnection connection;
    private volatile boolean armed;

    NewHeads(String id, WsConnection connection) {
      this.id = Objects.requireNonNull(id);
      this.connection = Objects.requireNonNull(connection);
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public WsConnection connection() {
      return connection;
    }

    @Override
    public boolean isArmed() {
      return armed;
    }

    @Override
    public void arm() {
      armed = true;
    }
  }

  /** Every finalized transaction that touches one account (sent by it, or naming it). */
  final class AccountActivity implements Subscription {
    private final String id;
    private final WsConnection connection;
    private final Address account;
    private volatile boolean armed;

    AccountActivity(String id, WsConnection connection, Address account) {
      this.id = Objects.requireNonNull(id);
      this.connection = Objects.requireNonNull(connection);
      this.account = Objects.requireNonNull(account);
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public WsConnection connection() {
      return connection;
    }

    Address account() {
      return account;
    }

    @Override
    public boolean isArmed() {
      return armed;
    }

    @Override
    public void arm() {
      armed = true;
    }
  }

  /** Every value one record takes (each successful put of it), as its block is finalized. */
  final class RecordChanges implements Subscription {
    private final String id;
    private final WsConnection connection;
    private final RecordId record;
    private volatile boolean armed;

    RecordChanges(String id, WsConnection connection, RecordId record) {
      this.id = Objects.requireNonNull(id);
      this.connection = Objects.requireNonNull(connection);
      this.record = Objects.requireNonNull(record);
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public WsConnection connection() {
      return connection;
    }

    RecordId record() {
      return record;
    }

    @Override
    public boolean isArmed() {
      return armed;
    }

    @Override
    public void arm() {
      armed = true;
    }
  }

  /** A record by owner and key: what a record subscription watches. */
  record RecordId(Address owner, String key) {
    public RecordId {
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(key, "key");
    }
  }

  /** One transaction's finality: notified exactly once, then removed. */
  final class TxFinalized implements Subscription {
    private final String id;
    private final WsConnection connection;
    private final Hash txId;
    private final AtomicBoolean delivered = new AtomicBoolean();
    private volatile boolean armed;

    TxFinalized(String id, WsConnection connection, Hash txId) {
      this.id = Objects.requireNonNull(id);
      this.connection = Objects.requireNonNull(connection);
      this.txId = Objects.requireNonNull(txId);
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public WsConnection connection() {
      return connection;
    }

    Hash txId() {
      return txId;
    }

    @Override
    public boolean isArmed() {
      return armed;
    }

    @Override
    public void arm() {
      armed = true;
    }

    /** True for exactly one caller: the block listener and the arm-time chain lookup may race. */
    boolean claimDelivery() {
      return delivered.compareAndSet(false, true);
    }
  }
}
