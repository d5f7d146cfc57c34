package dev.cairn.consensus.sim;

import dev.cairn.consensus.ConsensusEngine;
import dev.cairn.consensus.PersistedState;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.FinalizedBlock;
import java.util.ArrayList;
import java.util.List;

/** One simulated validator: its engine and what survives a crash (finalized chain, persisted state). */
final class SimNode {
  final int index;
  final KeyPair key;
  final Behaviour behaviour;
  ConsensusEngine engine;
  /** Bumped on every restart: timers and callbacks of an earlier incarnation are ignored. */
  int incarnation;
  boolean crashed;
  /** Durable: survives crashes. */
  final List<FinalizedBlock> chain = new ArrayList<>();
  BlockHeader head;
  PersistedState persisted;
  /** Volatile bookkeeping for the liveness check. */
  long lastProgressMillis;
  long heightStartedMillis;
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
