package dev.cairn.p2p.host;

import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.identity.PeerId;
import java.util.List;
import java.util.OptionalLong;

/**
 * A snapshot of one connected peer.
 *
 * @param connectedAddress the remote address of its first open connection
 * @param listenAddrs what it announced in identify (empty before identify)
 * @param protocols what it supports per identify
 * @param agentVersion per identify, or empty
 * @param pingLatencyMillis the last /ipfs/ping round trip, if one succeeded
 */
public record PeerInfo(PeerId peer, Multiaddr connectedAddress, boolean outbound, int connections,
    List<Multiaddr> listenAddrs, List<String> protocols, String agentVersion, OptionalLong pingLatencyMillis) {
  public PeerInfo {
    listenAddrs = List.copyOf(listenAddrs);
    protocols = List.copyOf(protocols);
  }
}
