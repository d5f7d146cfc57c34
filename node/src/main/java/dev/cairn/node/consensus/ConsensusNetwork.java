package dev.cairn.node.consensus;

import dev.cairn.ledger.bytes.Bytes;

/** Where the driver sends its engine's messages: the gossip topic in a network, nowhere for one validator. */
public interface ConsensusNetwork {
  void broadcast(Bytes encodedMessage);

  /** A lone validator has no one to talk to; its engine reaches quorum on its own votes. */
  ConsensusNetwork NONE = message -> {};
}
