package dev.cairn.network;

import dev.cairn.ledger.bytes.Hash;
import java.util.Objects;
import java.util.Optional;

/**
 * Snapshots served to peers and how this node catches up (docs/operations.md, "State sync"): the
 * {@code [sync]} section of the node's config.
 *
 * @param mode {@code block} replays every block from genesis; {@code state} on an empty data dir downloads
 *     the state at a recent snapshot height, then block-syncs from there
 * @param snapshotIntervalHeights snapshots are the heights that are multiples of this; 0 serves none
 * @param chunkBytesMax the largest chunk response this node serves or accepts, in bytes
 * @param chunkPrefixBits a joiner splits the key space into 2^this chunks
 * @param chunkRequestsInFlightMax chunk requests a joiner keeps in flight, spread over its peers
 * @param trustHeight with {@code trustHash}: the snapshot height and block hash the operator trusts (0 = none)
 */
public record SyncConfig(String mode, long snapshotIntervalHeights, int chunkBytesMax, int chunkPrefixBits,
    int chunkRequestsInFlightMax, long trustHeight, Optional<Hash> trustHash) {
  public static final SyncConfig DEFAULTS = new SyncConfig("block", 0, 4 * 1024 * 1024, 8, 8, 0, Optional.empty());

  public SyncConfig {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(trustHash, "trustHash");
  }

  public boolean stateSync() {
    return mode.equals("state");
  }

  public boolean servesSnapshots() {
    return snapshotIntervalHeights > 0;
  }

  public SyncConfig withTrust(long height, Hash hash) {
    return new SyncConfig("state", snapshotIntervalHeights, chunkBytesMax, chunkPrefixBits, chunkRequestsInFlightMax, height,
        Optional.of(hash));
  }

  public SyncConfig withMode(String newMode) {
    return new SyncConfig(newMode, snapshotIntervalHeights, chunkBytesMax, chunkPrefixBits, chunkRequestsInFlightMax,
        trustHeight, trustHash);
  }
}
