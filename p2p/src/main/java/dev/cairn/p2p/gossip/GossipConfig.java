package dev.cairn.p2p.gossip;

import java.util.Objects;

/**
 * Every GossipSub parameter and bound, named as in the gossipsub v1.0/v1.1 specs where the spec names them.
 * Defaults ({@link #defaults()}) follow the spec and js-libp2p; validated once here, including the relations
 * between them.
 *
 * @param d target mesh degree (D)
 * @param dLow mesh degree below which the heartbeat grafts (D_lo)
 * @param dHigh mesh degree above which the heartbeat prunes (D_hi)
 * @param dLazy minimum peers to emit gossip to per topic per heartbeat (D_lazy)
 * @param gossipFactor fraction of eligible non-mesh peers that receive gossip, when more than dLazy
 * @param heartbeatInitialDelayMillis delay before the first heartbeat
 * @param heartbeatIntervalMillis time between heartbeats
 * @param fanoutTtlMillis how long fanout state for a topic we publish to without joining is kept
 * @param mcacheLength heartbeats of full messages kept for IWANT
 * @param mcacheGossip most recent heartbeats whose ids are announced in IHAVE
 * @param seenTtlMillis how long a message id is remembered for dedup
 * @param seenEntriesMax most message ids remembered for dedup; the oldest go first beyond it
 * @param pruneBackoffMillis backoff we ask for in PRUNE and apply when a PRUNE has none
 * @param unsubscribeBackoffMillis backoff sent in PRUNE when we leave a topic
 * @param gossipRetransmissionMax times one message is sent to the same peer in answer to IWANT
 * @param ihaveIdsPerHeartbeatMax message ids we accept from one peer's IHAVEs per heartbeat (max_ihave_length)
 * @param ihavePerHeartbeatMax IHAVE messages we accept from one peer per heartbeat (max_ihave_messages)
 * @param topicsPerPeerMax topics we track for one peer; further subscriptions are ignored
 * @param topicsMax topics we track network-wide
 * @param outboundRpcQueueMax RPCs queued for one peer before new message-carrying RPCs are dropped
 * @param outboundQueueBytesMax bytes queued for one peer before new message-carrying RPCs are dropped
 * @param validationsPendingMax asynchronous verifications and validations in flight per topic before new
 *     messages of that topic are ignored
 * @param eventQueueMax events (received RPCs, publishes) waiting for the router thread before new ones are
 *     dropped
 * @param floodPublish send own messages to every subscribed peer, not only the mesh
 * @param signaturePolicy StrictSign or StrictNoSign
 * @param rpc decoder bounds, including the largest RPC (also the largest frame)
 */
public record GossipConfig(
    int d,
    int dLow,
    int dHigh,
    int dLazy,
    double gossipFactor,
    long heartbeatInitialDelayMillis,
    long heartbeatIntervalMillis,
    long fanoutTtlMillis,
    int mcacheLength,
    int mcacheGossip,
    long seenTtlMillis,
    int seenEntriesMax,
    long pruneBackoffMillis,
    long unsubscribeBackoffMillis,
    int gossipRetransmissionMax,
    int ihaveIdsPerHeartbeatMax,
    int ihavePerHeartbeatMax,
    int topicsPerPeerMax,
    int topicsMax,
    int outboundRpcQueueMax,
    long outboundQueueBytesMax,
    int validationsPendingMax,
    int eventQueueMax,
    boolean floodPublish,
    SignaturePolicy signaturePolicy,
    RpcLimits rpc) {

  public static final String PROTOCOL_ID = "/meshsub/1.1.0";
  /** The message cache holds at least this many bytes... */
  static final long MCACHE_BYTES_MIN = 64L << 20;
  /** ...and at least this many RPCs of the largest size. */
  static final int MCACHE_LARGEST_RPCS = 4;
  /** Received RPCs waiting for the router hold at most this many bytes, or this many of the largest RPCs... */
  static final long INBOUND_QUEUE_BYTES_MIN = 64L << 20;
  static final int INBOUND_QUEUE_LARGEST_RPCS = 4;
  /** ...and from one peer at most this many bytes, or this many of the largest RPCs. */
  static final long INBOUND_QUEUE_BYTES_PER_PEER_MIN = 16L << 20;
  static final int INBOUND_QUEUE_LARGEST_RPCS_PER_PEER = 2;

  /** Bytes of full messages the message cache keeps (beyond them the oldest go first), derived from the RPC limit. */
  public long mcacheBytesMax() {
    return Math.max(MCACHE_BYTES_MIN, (long) MCACHE_LARGEST_RPCS * rpc.rpcBytesMax());
  }

  /** Bytes of received RPCs waiting for the router thread, over all peers; beyond them RPCs are dropped. */
  public long inboundQueueBytesMax() {
    return Math.max(INBOUND_QUEUE_BYTES_MIN, (long) INBOUND_QUEUE_LARGEST_RPCS * rpc.rpcBytesMax());
  }

  /** The same per peer: one peer's flood cannot take the others' room. */
  public long inboundQueueBytesPerPeerMax() {
    return Math.max(INBOUND_QUEUE_BYTES_PER_PEER_MIN, (long) INBOUND_QUEUE_LARGEST_RPCS_PER_PEER * rpc.rpcBytesMax());
  }

  public GossipConfig {
    Objects.requireNonNull(signaturePolicy, "signaturePolicy");
    Objects.requireNonNull(rpc, "rpc");
    require(dLow >= 1 && dLow <= d && d <= dHigh, "need 1 <= dLow <= d <= dHigh: " + dLow + "," + d + "," + dHigh);
    require(dLazy >= 0, "dLazy >= 0");
    require(gossipFactor >= 0 && gossipFactor <= 1, "gossipFactor in [0,1]");
    require(heartbeatInitialDelayMillis >= 0, "heartbeatInitialDelayMillis >= 0");
    require(heartbeatIntervalMillis > 0, "heartbeatIntervalMillis > 0");
    require(fanoutTtlMillis > 0, "fanoutTtlMillis > 0");
    require(mcacheGossip >= 1 && mcacheGossip <= mcacheLength, "need 1 <= mcacheGossip <= mcacheLength");
    // A message must stay "seen" at least as long as it can be announced, or gossip would loop it back.
    require(seenTtlMillis >= mcacheLength * heartbeatIntervalMillis, "seenTtlMillis >= mcacheLength heartbeats");
    require(seenEntriesMax >= 1, "seenEntriesMax >= 1");
    require(pruneBackoffMillis >= 0 && unsubscribeBackoffMillis >= 0, "backoffs >= 0");
    require(gossipRetransmissionMax >= 1, "gossipRetransmissionMax >= 1");
    require(ihaveIdsPerHeartbeatMax >= 1 && ihavePerHeartbeatMax >= 1, "IHAVE bounds >= 1");
    require(topicsPerPeerMax >= 1 && topicsMax >= topicsPerPeerMax, "need 1 <= topicsPerPeerMax <= topicsMax");
    require(outboundRpcQueueMax >= 1 && outboundQueueBytesMax >= rpc.rpcBytesMax(),
        "outbound queue must hold at least one RPC of rpcBytesMax");
    require(validationsPendingMax >= 1, "validationsPendingMax >= 1");
    require(eventQueueMax >= 1, "eventQueueMax >= 1");
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalArgumentException("invalid GossipConfig: " + what);
    }
  }

  public static GossipConfig defaults() {
    return new GossipConfig(6, 4, 12, 6, 0.25, 100, 1_000, 60_000, 5, 3, 120_000, 262_144, 60_000, 10_000, 3,
        5_000, 10, 64, 1_024, 1_024, 64L << 20, 1_024, 65_536, true, SignaturePolicy.STRICT_SIGN, defaultRpcLimits());
  }

  public static RpcLimits defaultRpcLimits() {
    return new RpcLimits(4 << 20, 1_024, 1_024, 5_000, 10_000, 256, 256, 1_024);
  }

  /** Same config with another heartbeat interval (tests and simulations run faster clocks). */
  public GossipConfig withHeartbeatIntervalMillis(long millis) {
    return new GossipConfig(d, dLow, dHigh, dLazy, gossipFactor, Math.min(heartbeatInitialDelayMillis, millis),
        millis, fanoutTtlMillis, mcacheLength, mcacheGossip, Math.max(seenTtlMillis, mcacheLength * millis), seenEntriesMax,
        pruneBackoffMillis, unsubscribeBackoffMillis, gossipRetransmissionMax, ihaveIdsPerHeartbeatMax,
        ihavePerHeartbeatMax, topicsPerPeerMax, topicsMax, outboundRpcQueueMax, outboundQueueBytesMax,
        validationsPendingMax, eventQueueMax, floodPublish, signaturePolicy, rpc);
  }

  public GossipConfig withFloodPublish(boolean flood) {
    return new GossipConfig(d, dLow, dHigh, dLazy, gossipFactor, heartbeatInitialDelayMillis,
        heartbeatIntervalMillis, fanoutTtlMillis, mcacheLength, mcacheGossip, seenTtlMillis, seenEntriesMax,
        pruneBackoffMillis, unsubscribeBackoffMillis, gossipRetransmissionMax, ihaveIdsPerHeartbeatMax, ihavePerHeartbeatMax,
        topicsPerPeerMax, topicsMax, outboundRpcQueueMax, outboundQueueBytesMax, validationsPendingMax,
        eventQueueMax, flood, signaturePolicy, rpc);
  }

  public GossipConfig withSignaturePolicy(SignaturePolicy policy) {
    return new GossipConfig(d, dLow, dHigh, dLazy, gossipFactor, heartbeatInitialDelayMillis,
        heartbeatIntervalMillis, fanoutTtlMillis, mcacheLength, mcacheGossip, seenTtlMillis, seenEntriesMax,
        pruneBackoffMillis, unsubscribeBackoffMillis, gossipRetransmissionMax, ihaveIdsPerHeartbeatMax, ihavePerHeartbeatMax,
        topicsPerPeerMax, topicsMax, outboundRpcQueueMax, outboundQueueBytesMax, validationsPendingMax,
        eventQueueMax, floodPublish, policy, rpc);
  }

  /** Same config with another bound on validations in flight per topic. */
  public GossipConfig withValidationsPendingMax(int max) {
    return new GossipConfig(d, dLow, dHigh, dLazy, gossipFactor, heartbeatInitialDelayMillis,
        heartbeatIntervalMillis, fanoutTtlMillis, mcacheLength, mcacheGossip, seenTtlMillis, seenEntriesMax,
        pruneBackoffMillis, unsubscribeBackoffMillis, gossipRetransmissionMax, ihaveIdsPerHeartbeatMax, ihavePerHeartbeatMax,
        topicsPerPeerMax, topicsMax, outboundRpcQueueMax, outboundQueueBytesMax, max,
        eventQueueMax, floodPublish, signaturePolicy, rpc);
  }
}
