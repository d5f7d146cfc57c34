package dev.cairn.p2p.host;

import dev.cairn.p2p.P2pConfig;
import dev.cairn.p2p.ProtocolTraffic;
import dev.cairn.p2p.StreamHandler;
import dev.cairn.p2p.identity.HostKey;

/** What a connection needs from its host. */
interface HostContext {
  P2pConfig config();

  HostKey key();

  ConnectionGater gater();

  /** This host's encoded {@link dev.cairn.p2p.identity.PeerBinding}, sent in every handshake, if it has one. */
  java.util.Optional<byte[]> binding();

  /** The handler registered for a protocol, or null. */
  StreamHandler handler(String protocolId);

  /** Stream payload bytes by protocol, shared by every connection of the host. */
  ProtocolTraffic traffic();

  /** The connection is upgraded and muxed. Event loop. */
  void established(Connection connection);

  /** An established connection closed. Event loop. */
  void disconnected(Connection connection);
}
