package dev.cairn.p2p.gossip;

import java.util.Map;
import java.util.Objects;

/**
 * The node-wide budget of unsent gossip: bytes of RPCs queued for all peers together (on their outbound
 * streams, or waiting for a stream to open) beyond which new RPCs are dropped, lowest {@link OutboundPriority}
 * first. Each peer's queue is bounded too ({@link GossipConfig#outboundQueueBytesMax()}), but the per-peer bound
 * times the peers can exceed the heap; this bound cannot.
 *
 * @param bytesMax unsent gossip bytes over all peers; at least {@link #LARGEST_RPCS_MIN} RPCs of the largest
 *     size, so that the share only {@link OutboundPriority#HIGH} may use holds one
 * @param priorities the priority of each topic's messages; topics not named are {@link OutboundPriority#LOW}.
 *     Control RPCs (subscriptions, GRAFT, PRUNE, IHAVE, IWANT) are {@link OutboundPriority#HIGH}.
 */
public record GossipOutbound(long bytesMax, Map<String, OutboundPriority> priorities) {
  /** The derived budget holds at least this many bytes... */
  public static final long BYTES_MIN = 64L << 20;
  /** ...and at least this many RPCs of the largest size: a largest consensus message to eight peers at once. */
  public static final int LARGEST_RPCS = 8;
  /** The smallest budget accepted, in RPCs of the largest size: the reserved quarter then holds one. */
  public static final int LARGEST_RPCS_MIN = 4;

  public GossipOutbound {
    priorities = Map.copyOf(priorities);
    if (bytesMax < 1) {
      throw new IllegalArgumentException("gossip outbound budget must be positive: " + bytesMax);
    }
  }

  /** The budget derived from the RPC limit: {@code max(64 MiB, 8 x rpcBytesMax)}. */
  public static long derivedBytesMax(GossipConfig config) {
    return Math.max(BYTES_MIN, (long) LARGEST_RPCS * config.rpc().rpcBytesMax());
  }

  /** The derived budget with every topic at {@link OutboundPriority#LOW}. */
  public static GossipOutbound derived(GossipConfig config) {
    return new GossipOutbound(derivedBytesMax(config), Map.of());
  }

  /** Checks the budget against the config's largest RPC; the service refuses to start otherwise. */
  void checkAgainst(GossipConfig config) {
    long min = (long) LARGEST_RPCS_MIN * config.rpc().rpcBytesMax();
    if (bytesMax < min) {
      throw new IllegalArgumentException("gossip outbound budget of " + bytesMax + " bytes is below "
          + LARGEST_RPCS_MIN + " of the largest gossip RPCs (" + min + " bytes): consensus messages would have no room");
    }
  }

  public OutboundPriority priority(String topic) {
    return priorities.getOrDefault(topic, OutboundPriority.LOW);
  }
}
