package dev.cairn.node.network;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.node.consensus.ConsensusNetwork;
import dev.cairn.p2p.gossip.GossipService;

/** The consensus driver's outbox on the chain's consensus gossip topic. Never blocks: publish is queued. */
final class GossipConsensusNetwork implements ConsensusNetwork {
  private final GossipService gossip;
  private final String topic;

  GossipConsensusNetwork(GossipService gossip, String topic) {
    this.gossip = gossip;
    this.topic = topic;
  }

  @Override
  public void broadcast(Bytes encodedMessage) {
    gossip.publish(topic, encodedMessage.unsafeArray());
  }
}
