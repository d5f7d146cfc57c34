package dev.cairn.consensus.sim;

import dev.cairn.consensus.PersistedState;
import dev.cairn.consensus.driver.Driver;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.FinalizedBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated validator: its driver (with its engine) and its data dir. The data dir holds the finalized
 * chain (every commit is a synced batch) and the consensus state: what the last successful fsync made
 * durable, and a write not yet synced that a crash loses.
 */
final class SimNode {
  final int index;
  final KeyPair key;
  final Behaviour behaviour;
  Driver driver;
  /** Bumped on every crash and restart: timers and callbacks of an earlier incarnation are ignored. */
  int incarnation;
  boolean crashed;
  /** Durable: survives crashes (not a wipe). */
  final List<FinalizedBlock> chain = new ArrayList<>();
  BlockHeader head;
  /** The consensus state on disk, in its wire form (PersistedStateCodec), and decoded for the checks. */
  Bytes durableBytes;
  PersistedState durable;
  /** Written, fsync outstanding or failed: lost by a crash. */
  PersistedState unsynced;
  /** Volatile: the mempool holds something to propose. */
  boolean pendingTransactions;
  /** Volatile sync bookkeeping: when this node first saw a peer one block ahead, and a request in flight. */
  long behindSinceMillis = -1;
  boolean syncInFlight;
  long syncRequestedMillis;
  /** Above 0 while a node that lost its data dir waits to be restarted: the height it was at. */
  long wipedAtHeight;
  /** Last round written to the trace. */
  int traceRound;

  SimNode(int index, KeyPair key, Behaviour behaviour, BlockHeader genesis) {
    this.index = index;
    this.key = key;
    this.behaviour = behaviour;
    this.head = genesis;
  }

  boolean honest() {
    return !behaviour.byzantine();
  }

  long chainHeight() {
    return head.height();
  }

  @Override
  public String toString() {
    return "n" + index + (honest() ? "" : "/" + behaviour);
  }
}
