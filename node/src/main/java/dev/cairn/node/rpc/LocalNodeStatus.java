package dev.cairn.node.rpc;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.mempool.Mempool;
import dev.cairn.rpc.NodeStatus;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** Node information, sync state and the mempool, as JSON-RPC reports them. */
public final class LocalNodeStatus implements NodeStatus {
  private final String version;
  private final String peerId;
  /** This node's key while it is in the next height's validator set (it changes with on-chain votes). */
  private final Supplier<Optional<PublicKey>> validatorKey;
  private final IntSupplier peerCount;
  private final Supplier<SyncState> syncState;
  private final Mempool mempool;

  public LocalNodeStatus(String version, String peerId, Supplier<Optional<PublicKey>> validatorKey, IntSupplier peerCount,
      Supplier<SyncState> syncState, Mempool mempool) {
    this.version = version;
    this.peerId = peerId;
    this.validatorKey = validatorKey;
    this.peerCount = peerCount;
    this.syncState = syncState;
    this.mempool = mempool;
  }

  @Override
  public Info info() {
    return new Info(version, peerId, validatorKey.get(), peerCount.getAsInt());
  }

  @Override
  public SyncState syncState() {
    return syncState.get();
  }

  @Override
  public int pendingCount() {
    return mempool.size();
  }

  @Override
  public List<Transaction> pendingTransactions(int limit) {
    return mempool.pending(limit);
  }

  @Override
  public Optional<Transaction> pendingTransaction(Hash txId) {
    return mempool.get(txId);
  }

  @Override
  public long nextNonce(Address address, long stateNonce) {
    return mempool.nextNonce(address, stateNonce);
  }
}
