package dev.cairn.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.p2p.P2pConfig;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.yamux.YamuxHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code never-read} over real sockets: an authenticated peer sends Yamux pings as fast as it can and never
 * reads a byte. Each ping asks for an answer the host cannot hold back, so without a bound the answers pile
 * up in the host's memory; with it the host closes the connection once its unsent bytes pass
 * {@code outboundBacklogBytesMax}.
 */
class NeverReadTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Pings per Noise frame: 12-byte headers in one 60,000-byte plaintext. */
  private static final int PINGS_PER_FRAME = 5_000;
  /** 64 MiB of pings would ask for ~160 MiB of answers: far past any bound the host should keep. */
  private static final long SENT_BYTES_MAX = 64L * 1024 * 1024;
  private Host server;

  @AfterEach
  void stop() {
    if (server != null) server.stop();
  }

  @Test
  void aPeerThatSendsPingsAndNeverReadsIsDisconnected() throws Exception {
    server = new Host(HostKey.generate(RANDOM), P2pConfig.defaults(), ConnectionGater.open());
    server.start(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.listenAddrs().get(0).tcpAddress().orElseThrow().getPort());
    ByteBuf pings = Unpooled.buffer();
    for (int i = 0; i < PINGS_PER_FRAME; i++) new YamuxHeader(YamuxHeader.TYPE_PING, YamuxHeader.FLAG_SYN, 0, i).write(pings);
    byte[] frame = new byte[pings.readableBytes()];
    pings.readBytes(frame);
    long sent = 0;
    boolean disconnected = false;
    try (RawPeer raw = new RawPeer(address).upgrade(HostKey.generate(RANDOM))) {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (sent < SENT_BYTES_MAX && System.nanoTime() < deadline) {
        try {
          raw.sendEncrypted(frame);
          sent += frame.length;
        } catch (IOException reset) {
          disconnected = true;
          break;
        }
      }
    }
    assertThat(disconnected).as("the host dropped the connection (after %d bytes of pings)", sent).isTrue();
    assertThat(sent).as("pings sent before the host gave up").isLessThan(SENT_BYTES_MAX);
  }
}
