package dev.cairn.p2p.host;

import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.identity.PeerId;

/**
 * Peer events. Called on a connection's event loop: must not block. {@code connected} fires when the first
 * connection to a peer is up (authenticated, admitted, muxed), {@code disconnected} when the last one closes.
 */
public interface PeerListener {
  default void connected(PeerId peer, Multiaddr address, boolean outbound) {}

  default void disconnected(PeerId peer) {}

  /** The peer answered identify: its listen addresses and protocols are known. */
  default void identified(PeerId peer, IdentifyMessage identify) {}
}
