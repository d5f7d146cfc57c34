package dev.cairn.ledger.state;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import java.util.Map;
import java.util.Objects;

/**
 * What applying one block's {@link StateChanges} did to the authenticated tree: the new root and the nodes
 * created on the way (node hash -> encoding), which the chain store writes in the same atomic batch as the
 * block. Nodes of older roots are kept, so historical roots stay provable.
 */
public record TreeUpdate(Hash root, Map<Hash, Bytes> newNodes) {
  public TreeUpdate {
    Objects.requireNonNull(root, "root");
    newNodes = Map.copyOf(newNodes);
  }
}
