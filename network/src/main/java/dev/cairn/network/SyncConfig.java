package dev.cairn.network;

import dev.cairn.ledger.bytes.Hash;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Snapshots served to peers and how this node catches up (docs/operations.md, "State sync"): the
 * {@code [sync]} section of the node's config. The relations between its values are checked here, and the
 * messages name the config keys.
 *
 * @param mode {@code block} replays every block from genesis; {@code state} on an empty data dir downloads
 *     the state at a recent snapshot height, then block-syncs from there
 * @param snapshotIntervalHeights snapshots are the heights that are multiples of this; 0 serves none
 * @param chunkBytesMax the largest chunk response this node serves or accepts, in bytes
 * @param chunkPrefixBits a joiner splits the key space into 2^this chunks
 * @param chunkRequestsInFlightMax chunk requests a joiner keeps in flight, spread over its peers
 * @param waits how long a joiner waits for peers and answers
 * @param trustHeight with {@code trustHash}: the snapshot height and block hash the operator trusts (0 = none)
 */
public record SyncConfig(String mode, long snapshotIntervalHeights, int chunkBytesMax, int chunkPrefixBits,
    int chunkRequestsInFlightMax, Waits waits, long trustHeight, Optional<Hash> trustHash) {
  public static final SyncConfig DEFAULTS =
      new SyncConfig("block", 0, 4 * 1024 * 1024, 8, 8, Waits.DEFAULTS, 0, Optional.empty());

  /**
   * A joiner's time limits, in milliseconds.
   *
   * @param chunkRequestTimeoutMillis a request to a peer during state sync (a chunk, the snapshot's header, the
   *     validator-set changes) unanswered this long fails; a chunk's then goes to another peer
   * @param peerWaitMillis how long the joiner waits for its first peer before it gives up
   * @param noPeerGraceMillis how long the download goes on with no peer left to ask before it gives up
   * @param downloadDeadlineMillis the whole download's limit
   */
  public record Waits(long chunkRequestTimeoutMillis, long peerWaitMillis, long noPeerGraceMillis, long downloadDeadlineMillis) {
    public static final Waits DEFAULTS = new Waits(10_000, 60_000, 30_000, 3_600_000);

    public Waits {
      if (chunkRequestTimeoutMillis <= 0 || peerWaitMillis <= 0 || noPeerGraceMillis <= 0 || downloadDeadlineMillis <= 0) {
        throw new IllegalArgumentException("sync waits must be positive: " + this);
      }
      if (downloadDeadlineMillis < chunkRequestTimeoutMillis) {
        throw new IllegalArgumentException("sync.download-deadline-millis (" + downloadDeadlineMillis
            + ") must be at least sync.chunk-request-timeout-millis (" + chunkRequestTimeoutMillis + ")");
      }
    }
  }

  public SyncConfig {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(waits, "waits");
    Objects.requireNonNull(trustHash, "trustHash");
    if (!List.of("block", "state").contains(mode)) {
      throw new IllegalArgumentException("sync.mode: expected \"block\" or \"state\", got \"" + mode + "\"");
    }
    if ((trustHeight > 0) != trustHash.isPresent()) {
      throw new IllegalArgumentException("sync.trust-height and sync.trust-hash go together (both set or neither)");
    }
  }

  /** The {@code trust-hash} key's text: empty for none, else 0x and 64 hex digits. */
  public static Optional<Hash> trustHash(String text) {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Hash.fromHex(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("sync.trust-hash: expected 0x and 64 hex digits, got \"" + text + "\"", e);
    }
  }

  public boolean stateSync() {
    return mode.equals("state");
  }

  public boolean servesSnapshots() {
    return snapshotIntervalHeights > 0;
  }

  public SyncConfig withTrust(long height, Hash hash) {
    return new SyncConfig("state", snapshotIntervalHeights, chunkBytesMax, chunkPrefixBits, chunkRequestsInFlightMax, waits,
        height, Optional.of(hash));
  }

  public SyncConfig withMode(String newMode) {
    return new SyncConfig(newMode, snapshotIntervalHeights, chunkBytesMax, chunkPrefixBits, chunkRequestsInFlightMax, waits,
        trustHeight, trustHash);
  }
}
