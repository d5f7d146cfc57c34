package dev.cairn.network;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.PublicKey;

/** Where the driver sends its engine's messages: the gossip topic in a network, nowhere for one validator. */
public interface ConsensusNetwork {
  void broadcast(Bytes encodedMessage);

  /**
   * Whether {@code validator} can reach us right now (this node itself always can). Only a hint for how long
   * to wait for a proposal, never part of any decision the protocol makes; a lone validator reaches itself.
   */
  default boolean isReachable(PublicKey validator) {
    return true;
  }

  /** A lone validator has no one to talk to; its engine reaches quorum on its own votes. */
  ConsensusNetwork NONE = message -> {};
}
