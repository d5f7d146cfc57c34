package dev.cairn.network;

import dev.cairn.p2p.AdmissionLimits;
import java.util.List;

/**
 * What the network reads from the node's {@code [p2p]} config: the listen address, the peers to dial, the
 * observers allowed besides the validators, tx gossip batching, and the connection budgets (authenticated
 * peers, connections still handshaking, unsent bytes per connection, unsent gossip bytes over all peers). The node's config record implements it,
 * so the network never sees the rest of the node's configuration.
 */
public interface NetworkSettings {
  String listen();

  List<String> bootnodes();

  List<String> observers();

  TxBatching txBatching();

  int connectionsMax();

  AdmissionLimits admission();

  long outboundBacklogBytesMax();

  /** Unsent gossip bytes over all peers for a chain whose gossip is {@code gossip}: configured, or derived from it. */
  long gossipOutboundBytes(dev.cairn.p2p.gossip.GossipConfig gossip);
}
