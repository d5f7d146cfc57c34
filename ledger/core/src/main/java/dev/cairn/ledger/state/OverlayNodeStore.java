package dev.cairn.ledger.state;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A store that sees the nodes of a not yet committed {@link TreeUpdate} on top of a base store: reading
 * (or proving, or applying the next block's changes) at a root that exists only in an executed block before
 * the chain store has written it. Both layers are content-addressed, so the order of lookup cannot change
 * an answer, only its cost.
 */
public final class OverlayNodeStore implements TreeNodeStore {
  private final TreeNodeStore base;
  private final TreeUpdate pending;

  public OverlayNodeStore(TreeNodeStore base, TreeUpdate pending) {
    this.base = Objects.requireNonNull(base, "base");
    this.pending = Objects.requireNonNull(pending, "pending");
  }

  @Override
  public Optional<Bytes> node(Hash nodeHash) {
    Bytes created = pending.newNodes().get(nodeHash);
    return created != null ? Optional.of(created) : base.node(nodeHash);
  }

  @Override
  public Map<Hash, Bytes> nodes(Collection<Hash> nodeHashes) {
    Map<Hash, Bytes> found = HashMap.newHashMap(nodeHashes.size());
    List<Hash> rest = new ArrayList<>();
    for (Hash nodeHash : nodeHashes) {
      Bytes created = pending.newNodes().get(nodeHash);
      if (created != null) {
        found.put(nodeHash, created);
      } else {
        rest.add(nodeHash);
      }
    }
    if (!rest.isEmpty()) {
      found.putAll(base.nodes(rest));
    }
    return found;
  }
}
