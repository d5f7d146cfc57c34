package dev.cairn.ledger.state;

import dev.cairn.ledger.bytes.Hash;

/**
 * A tree node that a reachable parent (or a root the caller holds) references is not in the node store.
 * Nodes are written in the same atomic batch as the block that created them and never deleted, so this is
 * a broken invariant (a corrupt or foreign database, or a root that was never committed), not bad input.
 */
public final class MissingNodeException extends IllegalStateException {
  private final transient Hash nodeHash;

  public MissingNodeException(Hash nodeHash) {
    super("state tree node " + nodeHash + " is not in the node store");
    this.nodeHash = nodeHash;
  }

  public Hash nodeHash() {
    return nodeHash;
  }
}
