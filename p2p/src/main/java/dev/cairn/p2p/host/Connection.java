package dev.cairn.p2p.host;

import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.identity.PeerId;
import dev.cairn.p2p.yamux.YamuxSession;
import io.netty.channel.Channel;

/** One upgraded connection: an authenticated remote peer, its address, and the Yamux session on it. */
record Connection(PeerId peer, Multiaddr remoteAddress, boolean outbound, YamuxSession session, Channel channel) {
  boolean open() {
    return channel.isActive();
  }
}
