package dev.cairn.network.ports;

import dev.cairn.ledger.bytes.Bytes;

/**
 * Events the network posts for the consensus thread; each call only enqueues (bounded) and returns at once,
 * so a Netty event loop or the gossip router never waits for consensus.
 *
 * @param <M> a consensus message as the gossip validator decoded and checked it (the consensus module's type,
 *     which this port does not name)
 */
public interface ConsensusInbox<M> {
  /**
   * A consensus message relayed by {@code source} (undecoded, already checked by the gossip validator).
   * Votes wait in their own lane, drained first; beyond the lane's bounds (messages, bytes, bytes from
   * {@code source}) the message is dropped and counted.
   */
  void onPeerMessage(Bytes bytes, String source);

  /**
   * As {@link #onPeerMessage(Bytes, String)}, for a message the gossip validator already decoded and checked
   * (so the consensus thread need not do either again), with {@code wire}, its undecoded form: a decoded
   * message takes more heap than its wire bytes, so where it does not fit the bounds as decoded it may wait as
   * {@code wire} instead, exactly as {@link #onPeerMessage} would have it wait.
   */
  void onCheckedPeerMessage(M message, Bytes wire, String source);

  /** A peer's connection closed (it may be the current round's proposer). */
  void notifyPeerLost();

  /** Transactions were admitted (coalesced: a burst costs one event). */
  void notifyTransactions();
}
