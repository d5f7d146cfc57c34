package dev.cairn.ledger.state;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What applying one block's {@link StateChanges} did to the authenticated tree: the new root, the nodes
 * created on the way (node hash -> encoding), which the chain store writes in the same atomic batch as the
 * block, and the nodes of the previous tree that the new tree no longer holds ({@code replacedNodes}: each
 * once, none of them among the new nodes). The store keeps old nodes so historical roots stay provable; a
 * pruning store records the replaced nodes to delete them once no retained root needs them.
 */
public record TreeUpdate(Hash root, Map<Hash, Bytes> newNodes, List<Hash> replacedCandidates) {
  /**
   * @param replacedCandidates the old tree's nodes the update visited and did not keep, possibly including nodes
   *     the new tree recreated (a rewrite to the same value): {@link #replacedNodes} leaves those out, on demand,
   *     because only a state-pruning store asks and the filtering cost every block a lookup per node
   */
  public TreeUpdate {
    Objects.requireNonNull(root, "root");
    newNodes = Map.copyOf(newNodes);
    replacedCandidates = List.copyOf(replacedCandidates);
  }

  /** The nodes of the previous tree that the new tree no longer holds, each once, none among {@link #newNodes}. */
  public List<Hash> replacedNodes() {
    List<Hash> replaced = new java.util.ArrayList<>(replacedCandidates.size());
    for (Hash node : replacedCandidates) {
      if (!newNodes.containsKey(node)) {
        replaced.add(node);
      }
    }
    return replaced;
  }

  /** An update that replaced nothing (no change, or a tree built from empty). */
  public TreeUpdate(Hash root, Map<Hash, Bytes> newNodes) {
    this(root, newNodes, List.of());
  }
}
