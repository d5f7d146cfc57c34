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

  /**
   * Whether a peer whose libp2p identity is a validator's or genesis observer's node key itself (a node of the
   * release before p2p keys, which sends no binding) is admitted; turn off once every node runs p2p keys.
   */
  boolean acceptNodeKeyIdentities();

  /** Unsent gossip bytes over all peers for a chain whose gossip is {@code gossip}: configured, or derived from it. */
  long gossipOutboundBytes(dev.cairn.p2p.gossip.GossipConfig gossip);
}
