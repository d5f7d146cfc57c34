package dev.cairn.metrics;

import dev.cairn.network.P2pNetwork;
import dev.cairn.p2p.ProtocolTraffic;
import dev.cairn.p2p.gossip.GossipStats;
import dev.cairn.network.SyncState;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToLongFunction;

/**
 * The p2p layer and block sync: peers by role, connections by state, stream bytes by protocol, gossip per
 * topic, queue depths, sync progress. Everything is read when scraped from counters the network keeps
 * anyway; the gossip router's own counters are read on its thread, once per scrape (memoized briefly, so the
 * dozen families that use them cost the router one task).
 */
final class NetworkMetrics {
  /** How long one read of the router's counters serves the families of a scrape. */
  static final long GOSSIP_MEMO_MILLIS = 1_000;
  /** A router too busy to answer this fast is left out of the scrape (its last counters are reported). */
  static final long GOSSIP_QUERY_TIMEOUT_MILLIS = 2_000;

  private final P2pNetwork network;
  private volatile P2pNetwork.GossipCounters gossip = new P2pNetwork.GossipCounters(
      new GossipStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), Map.of());
  private volatile long gossipReadMillis; // 0: never read

  private NetworkMetrics(P2pNetwork network) {
    this.network = network;
  }

  static void register(Families families, P2pNetwork network) {
    new NetworkMetrics(network).registerAll(families);
  }

  private void registerAll(Families f) {
    f.gauge("p2p_peers", "Connected peers, by role: validator (of the next height) or observer", new String[] {"role"}, cb -> {
      int all = network.peerCount();
      int validators = network.validatorPeerCount();
      cb.call(validators, "validator");
      cb.call(Math.max(0, all - validators), "observer");
    });
    f.gauge("p2p_connections", "Connections by state: handshaking (Noise, multistream), inbound or outbound (authenticated)",
        new String[] {"state"}, cb -> {
          int[] byDirection = network.connectionsByDirection();
          cb.call(network.handshakesOpen(), "handshaking");
          cb.call(byDirection[0], "inbound");
          cb.call(byDirection[1], "outbound");
        });
    f.counter("p2p_received_bytes", "Stream payload bytes received, by protocol", Unit.BYTES, new String[] {"protocol"},
        cb -> traffic().forEach((protocol, bytes) -> cb.call(bytes.received(), protocol)));
    f.counter("p2p_sent_bytes", "Stream payload bytes sent, by protocol", Unit.BYTES, new String[] {"protocol"},
        cb -> traffic().forEach((protocol, bytes) -> cb.call(bytes.sent(), protocol)));
    topicCounter(f, "p2p_gossip_delivered", "Gossip messages accepted and delivered to this node, by topic",
        GossipStats.Topic::delivered);
    topicCounter(f, "p2p_gossip_duplicates", "Gossip messages received again after a first copy, by topic",
        GossipStats.Topic::duplicates);
    f.counter("p2p_gossip_dropped", "Gossip messages dropped, by topic and reason: rejected or ignored by validation, "
        + "throttled (too many in validation on the topic)", null, new String[] {"topic", "reason"}, cb -> {
          for (Map.Entry<String, GossipStats.Topic> e : byKind().entrySet()) {
            String topic = e.getKey();
            cb.call(e.getValue().rejected(), topic, "rejected");
            cb.call(e.getValue().ignored(), topic, "ignored");
            cb.call(e.getValue().throttled(), topic, "throttled");
          }
        });
    f.counter("p2p_gossip_published", "Gossip messages this node published", null, () -> gossip().totals().published());
    f.counter("p2p_gossip_forwarded", "Gossip message copies forwarded to mesh peers", null, () -> gossip().totals().forwarded());
    f.counter("p2p_gossip_invalid", "Gossip messages refused for their signature policy or malformed RPCs", null,
        () -> gossip().totals().invalidMessages() + gossip().totals().rpcMalformed());
    f.gauge("p2p_queue_depth", "Work waiting in the network's bounded queues, by queue", new String[] {"queue"},
        cb -> network.queueDepths().forEach((queue, depth) -> cb.call(depth, queue)));
    f.counter("p2p_queue_dropped", "Gossip events and RPCs dropped because a bounded queue was full, by queue", null,
        new String[] {"queue"}, cb -> network.gossipQueueDrops().forEach((queue, count) -> cb.call(count, queue)));
    f.counter("p2p_consensus_gossip_verdicts", "Consensus gossip messages checked before relay, by verdict reason", null,
        new String[] {"reason"}, cb -> network.consensusGossipCounts().forEach((reason, count) ->
            cb.call(count, reason.name().toLowerCase(java.util.Locale.ROOT))));
    f.gauge("sync_syncing", "1 while block sync is catching this node up with its peers, else 0", null,
        () -> network.syncState() instanceof SyncState.Syncing ? 1 : 0);
    f.gauge("sync_blocks_behind", "Blocks between this node's head and the highest head a peer reported (-1: none reported yet)",
        null, network::blocksBehind);
  }

  private void topicCounter(Families f, String name, String help, ToLongFunction<GossipStats.Topic> count) {
    f.counter(name, help, null, new String[] {"topic"}, cb -> {
      for (Map.Entry<String, GossipStats.Topic> e : byKind().entrySet()) {
        cb.call(count.applyAsLong(e.getValue()), e.getKey());
      }
    });
  }

  /** Per-topic counters keyed by topic kind (labels without the chain id), merged should two share a kind. */
  private Map<String, GossipStats.Topic> byKind() {
    Map<String, GossipStats.Topic> out = new java.util.TreeMap<>();
    gossip().byTopic().forEach((topic, c) -> out.merge(network.topics().kind(topic), c, (a, b) -> new GossipStats.Topic(
        a.delivered() + b.delivered(), a.duplicates() + b.duplicates(), a.rejected() + b.rejected(),
        a.ignored() + b.ignored(), a.throttled() + b.throttled())));
    return out;
  }

  private Map<String, ProtocolTraffic.Bytes> traffic() {
    Map<String, ProtocolTraffic.Bytes> out = new java.util.TreeMap<>();
    network.traffic().snapshot().forEach((protocol, bytes) -> out.merge(network.topics().protocolLabel(protocol), bytes,
        (a, b) -> new ProtocolTraffic.Bytes(a.received() + b.received(), a.sent() + b.sent())));
    return out;
  }

  private P2pNetwork.GossipCounters gossip() {
    long now = System.currentTimeMillis();
    if (now - gossipReadMillis < GOSSIP_MEMO_MILLIS) {
      return gossip;
    }
    try {
      gossip = network.gossipCounters().get(GOSSIP_QUERY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      gossipReadMillis = now;
    } catch (ExecutionException | TimeoutException e) {
      // The router is busy or stopping: report what was read last rather than fail the scrape.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return gossip;
  }
}
