package dev.cairn.network.ports;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.state.StateChunk;

/** What the snapshot protocol reads from the chain: a chunk of the state tree at a retained height. */
public interface SnapshotSource {
  /**
   * The chunk under {@code prefix} of the state at {@code height}. Throws {@link SnapshotUnavailableException}
   * when the height is above the head or its state was pruned, and {@link StateChunk.ChunkTooLargeException}
   * when the leaves pass {@code leafBytesMax}.
   */
  StateChunk chunk(long height, Hash prefix, int prefixBits, int leafBytesMax);

  /** Why a snapshot chunk cannot be served; the message goes back to the asking peer. */
  final class SnapshotUnavailableException extends RuntimeException {
    public SnapshotUnavailableException(String message) {
      super(message);
    }
  }
}
