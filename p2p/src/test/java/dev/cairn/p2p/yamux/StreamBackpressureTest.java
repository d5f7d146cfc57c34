package dev.cairn.p2p.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.p2p.P2pConfig;
import dev.cairn.p2p.P2pStream;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.mss.MultistreamSelect;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The send side never exceeds the remote's window and refuses writes beyond the queue bound. */
class StreamBackpressureTest {
  private static final int WINDOW = P2pConfig.YAMUX_INITIAL_WINDOW_BYTES;
  private static final int QUEUE_MAX = 300_000;

  @Test
  void writesWaitForWindowAndOverflowIsRefusedWhole() {
    P2pConfig d = P2pConfig.defaults();
    P2pConfig config = new P2pConfig(d.handshakeTimeoutMillis(), d.streamNegotiationTimeoutMillis(), d.mssProposalsMax(),
        d.yamuxWindowBytes(), d.yamuxSendWindowBytesMax(), d.yamuxInboundStreamsMax(), d.yamuxOutboundStreamsMax(),
        d.yamuxPingIntervalMillis(), QUEUE_MAX, d.connectionsMax(), d.identifyMessageBytesMax(),
        d.identifyTimeoutMillis(), d.pingIntervalMillis(), d.pingTimeoutMillis());
    EmbeddedChannel ch = new EmbeddedChannel();
    YamuxSessionTest.Recorder r = new YamuxSessionTest.Recorder();
    YamuxSession s = new YamuxSession(r, ch.eventLoop(), config, true, HostKey.generate(new SecureRandom()).peerId(), p -> null);
    CompletableFuture<P2pStream> opened = s.openStream("/t/1", (st, b) -> { });
    ch.runPendingTasks();
    ByteBuf answer = Unpooled.buffer();
    MultistreamSelect.writeLine(answer, MultistreamSelect.HEADER);
    MultistreamSelect.writeLine(answer, "/t/1");
    byte[] mss = new byte[answer.readableBytes()];
    answer.readBytes(mss);
    s.onBytes(YamuxSessionTest.frame(YamuxHeader.TYPE_DATA, YamuxHeader.FLAG_ACK, 1, mss.length, mss));
    P2pStream stream = opened.join();
    long mssBytesSent = sentData(r);

    assertThat(stream.write(new byte[WINDOW])).isEqualTo(P2pStream.WriteResult.QUEUED);
    ch.runPendingTasks();
    assertThat(sentData(r)).isEqualTo(WINDOW); // the MSS lines used part of the window
    assertThat(stream.queuedBytes()).isEqualTo(mssBytesSent);
    assertThat(stream.write(new byte[QUEUE_MAX])).isEqualTo(P2pStream.WriteResult.QUEUE_FULL);
    assertThat(stream.write(new byte[1000])).isEqualTo(P2pStream.WriteResult.QUEUED);

    s.onBytes(YamuxSessionTest.frame(YamuxHeader.TYPE_WINDOW_UPDATE, 0, 1, 100_000, null));
    ch.runPendingTasks();
    assertThat(stream.queuedBytes()).isZero();
    assertThat(sentData(r)).isEqualTo(WINDOW + mssBytesSent + 1000);
    stream.reset();
    ch.runPendingTasks();
    assertThat(stream.write(new byte[1])).isEqualTo(P2pStream.WriteResult.CLOSED);
  }

  private static long sentData(YamuxSessionTest.Recorder r) {
    return r.sent.stream().filter(h -> h.type() == YamuxHeader.TYPE_DATA && h.streamId() == 1).mapToLong(YamuxHeader::length).sum();
  }
}
