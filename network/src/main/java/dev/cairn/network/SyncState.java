package dev.cairn.network;

/**
 * Whether block sync is catching this node up with its peers, and from where to where; the node reports it
 * (JSON-RPC, metrics) in its own terms.
 */
public sealed interface SyncState {
  record Synced() implements SyncState {}

  record Syncing(long startingHeight, long currentHeight, long highestHeight) implements SyncState {
    public Syncing {
      if (startingHeight < 0 || currentHeight < startingHeight || highestHeight < currentHeight) {
        throw new IllegalArgumentException("sync heights must satisfy 0 <= starting <= current <= highest");
      }
    }
  }
}
