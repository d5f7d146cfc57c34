package dev.cairn.rpc;

import java.util.Objects;
import java.util.Optional;

/** What {@code /liveness} and {@code /readiness} judge the node by; read on every probe, so cheap. */
public interface NodeHealth {
  Facts facts();

  /**
   * @param peering whether the node runs p2p at all (a single-node chain has no peers to wait for)
   * @param peers connected peers
   * @param height this node's finalized head
   * @param blocksBehind how far the highest head a peer reported is above ours (0 when none is), or
   *     {@link #BEHIND_UNKNOWN} while the node has peers but none has reported its head yet
   * @param halted why consensus stopped on this node (a broken invariant, a failed write), if it did
   */
  record Facts(boolean peering, int peers, long height, long blocksBehind, Optional<String> halted) {
    public static final long BEHIND_UNKNOWN = -1;

    public Facts {
      Objects.requireNonNull(halted, "halted");
      if (peers < 0 || height < 0 || blocksBehind < BEHIND_UNKNOWN) {
        throw new IllegalArgumentException("peers and height must be >= 0, blocksBehind >= -1");
      }
    }
  }
}
