package dev.cairn.node.ports;

import dev.cairn.ledger.bytes.Bytes;

/**
 * Events the network posts for the consensus thread; each call only enqueues (bounded) and returns at once,
 * so a Netty event loop or the gossip router never waits for consensus.
 */
public interface ConsensusInbox {
  /** A consensus message from a peer (undecoded); dropped, and counted, when the queue is full. */
  void onPeerMessage(Bytes bytes);

  /** A peer's connection closed (it may be the current round's proposer). */
  void notifyPeerLost();

  /** Transactions were admitted (coalesced: a burst costs one event). */
  void notifyTransactions();
}
