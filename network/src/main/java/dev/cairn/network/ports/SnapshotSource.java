package dev.cairn.network.ports;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.state.StateChunk;
import java.util.List;

/**
 * What the snapshot protocols read from the chain: a chunk of the state tree at a retained height, and the
 * evidence of each validator-set change a joining node follows from genesis.
 */
public interface SnapshotSource {
  /**
   * The chunk under {@code prefix} of the state at {@code height}. Throws {@link SnapshotUnavailableException}
   * when the height is above the head or its state was pruned, and {@link StateChunk.ChunkTooLargeException}
   * when the leaves pass {@code leafBytesMax}.
   */
  StateChunk chunk(long height, Hash prefix, int prefixBits, int leafBytesMax);

  /**
   * The validator-set changes whose new set is in force from a height above {@code afterHeight}, ascending, at
   * most {@code countMax}; empty when none. Throws {@link SnapshotUnavailableException} when this node's history
   * does not reach back to {@code afterHeight} (it was itself state-synced) or the state that proves a change was
   * pruned.
   */
  List<ValidatorSetChange> validatorSetChanges(long afterHeight, int countMax);

  /** Why a snapshot chunk cannot be served; the message goes back to the asking peer. */
  final class SnapshotUnavailableException extends RuntimeException {
    public SnapshotUnavailableException(String message) {
      super(message);
    }
  }
}
