package dev.cairn.rpc;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Transaction;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The node's own state as the RPC reports it: identity, peers, sync progress and mempool contents. */
public interface NodeStatus {
  Info info();

  SyncState syncState();

  /** Number of transactions waiting in the mempool. */
  int pendingCount();

  /** Up to {@code limit} pending transactions, in the order a proposer would take them. */
  List<Transaction> pendingTransactions(int limit);

  /**
   * A pending transaction. Contract with {@link ChainView}: a transaction leaves the pending set only after
   * the block holding it is readable through {@link ChainView#transaction} (or when it is dropped for good),
   * so a reader that misses it in both places in the order "chain, pending" finds it with a second chain read.
   */
  Optional<Transaction> pendingTransaction(Hash txId);

  /**
   * The nonce the account's next transaction should use, counting its pending transactions that follow
   * {@code stateNonce} (a committed nonce; 0 lets the node use its own view) without a gap. The RPC asks this
   * before reading the account and takes the larger of the two. A node without a mempool view answers
   * {@code stateNonce}.
   */
  default long nextNonce(Address address, long stateNonce) {
    return stateNonce;
  }

  /**
   * @param version the node's software version
   * @param peerId the libp2p peer id
   * @param validatorKey this node's validator key if it runs as a validator
   * @param peerCount connected peers
   */
  record Info(String version, String peerId, Optional<PublicKey> validatorKey, int peerCount) {
    public Info {
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(peerId, "peerId");
      Objects.requireNonNull(validatorKey, "validatorKey");
      if (peerCount < 0) {
        throw new IllegalArgumentException("peerCount must be non-negative");
      }
    }
  }

  /** Whether the node is catching up with its peers. */
  sealed interface SyncState {
    record Synced() implements SyncState {}

    record Syncing(long startingHeight, long currentHeight, long highestHeight) implements SyncState {
      public Syncing {
        if (startingHeight < 0 || currentHeight < startingHeight || highestHeight < currentHeight) {
          throw new IllegalArgumentException("sync heights must satisfy 0 <= starting <= current <= highest");
        }
      }
    }
  }
}
