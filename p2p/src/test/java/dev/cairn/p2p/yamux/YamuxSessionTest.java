package dev.cairn.p2p.yamux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.p2p.P2pConfig;
import dev.cairn.p2p.P2pStream;
import dev.cairn.p2p.StreamHandler;
import dev.cairn.p2p.StreamListener;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.wire.DecodeException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamuxSessionTest {
  /** Collects what a session sends, as decoded headers. */
  static final class Recorder implements YamuxSession.Transport {
    final List<YamuxHeader> sent = new ArrayList<>();
    String closedReason;
    long pendingBytes;

    @Override
    public long pendingWriteBytes() {
      return pendingBytes;
    }

    @Override
    public void send(ByteBuf plaintext) {
      while (plaintext.isReadable()) {
        YamuxHeader h = YamuxHeader.tryRead(plaintext);
        sent.add(h);
        if (h.type() == YamuxHeader.TYPE_DATA) plaintext.skipBytes((int) h.length());
      }
      plaintext.release();
    }

    @Override
    public void flush() {}

    @Override
    public void close(String reason) {
      closedReason = reason;
    }

    @Override
    public boolean writable() {
      return true;
    }
  }

  static YamuxSession session(Recorder r, P2pConfig config, StreamHandler handler) {
    EmbeddedChannel ch = new EmbeddedChannel();
    return new YamuxSession(r, ch.eventLoop(), config, false, HostKey.generate(new SecureRandom()).peerId(),
        p -> p.equals("/t/1") ? handler : null);
  }

  static ByteBuf frame(int type, int flags, long stream, long length, byte[] payload) {
    ByteBuf b = Unpooled.buffer();
    new YamuxHeader(type, flags, stream, length).write(b);
    if (payload != null) b.writeBytes(payload);
    return b;
  }

  @Test
  void answersPingWithSameOpaque() {
    Recorder r = new Recorder();
    session(r, P2pConfig.defaults(), null).onBytes(frame(YamuxHeader.TYPE_PING, YamuxHeader.FLAG_SYN, 0, 77, null));
    assertThat(r.sent).containsExactly(new YamuxHeader(YamuxHeader.TYPE_PING, YamuxHeader.FLAG_ACK, 0, 77));
  }

  @Test
  void dataBeyondTheWindowIsAProtocolError() {
    Recorder r = new Recorder();
    YamuxSession s = session(r, P2pConfig.defaults(), null);
    s.onBytes(frame(YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_SYN, 1, 0, null));
    ByteBuf over = frame(YamuxHeader.TYPE_DATA, 0, 1, P2pConfig.YAMUX_INITIAL_WINDOW_BYTES + 1, null);
    assertThatThrownBy(() -> s.onBytes(over)).isInstanceOf(DecodeException.class).hasMessageContaining("yamux_receive_window_exceeded");
  }

  @Test
  void wrongParityAndReusedIdsAreRejected() {
    YamuxSession s = session(new Recorder(), P2pConfig.defaults(), null);
    // this session is the server: the remote client must use odd IDs
    assertThatThrownBy(() -> s.onBytes(frame(YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_SYN, 2, 0, null)))
        .isInstanceOf(DecodeException.class).hasMessageContaining("yamux_bad_stream_id");
  }

  @Test
  void inboundStreamsBeyondTheLimitAreReset() {
    P2pConfig d = P2pConfig.defaults();
    P2pConfig two = new P2pConfig(d.handshakeTimeoutMillis(), d.streamNegotiationTimeoutMillis(), d.mssProposalsMax(),
        d.yamuxWindowBytes(), d.yamuxSendWindowBytesMax(), 2, d.yamuxOutboundStreamsMax(), d.yamuxPingIntervalMillis(),
        d.streamWriteQueueBytesMax(), d.connectionsMax(), d.identifyMessageBytesMax(), d.identifyTimeoutMillis(),
        d.pingIntervalMillis(), d.pingTimeoutMillis());
    Recorder r = new Recorder();
    YamuxSession s = session(r, two, null);
    for (long id = 1; id <= 5; id += 2) s.onBytes(frame(YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_SYN, id, 0, null));
    assertThat(s.openStreams()).isEqualTo(2);
    assertThat(r.sent).contains(new YamuxHeader(YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_RST, 5, 0));
  }

  @Test
  void goAwayWithErrorClosesTheConnection() {
    Recorder r = new Recorder();
    session(r, P2pConfig.defaults(), null).onBytes(frame(YamuxHeader.TYPE_GO_AWAY, 0, 0, 1, null));
    assertThat(r.closedReason).contains("yamux_go_away");
  }

  @Test
  void headerRejectsBadVersionTypeAndFlags() {
    for (byte[] bad : new byte[][] {
        {1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0},
        {0, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0},
        {0, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0, 0},
        {0, 2, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0}}) {
      assertThatThrownBy(() -> YamuxHeader.tryRead(Unpooled.wrappedBuffer(bad))).isInstanceOf(DecodeException.class);
    }
  }

  @Test
  void aPeerThatNeverReadsIsClosedInsteadOfBufferingControlReplies() {
    Recorder r = new Recorder();
    YamuxSession s = session(r, P2pConfig.defaults(), null);
    s.onBytes(frame(YamuxHeader.TYPE_PING, YamuxHeader.FLAG_SYN, 0, 1, null));
    assertThat(r.sent).hasSize(1);
    r.pendingBytes = P2pConfig.defaults().outboundBacklogBytesMax() + 1; // the socket stopped taking our bytes
    s.onBytes(frame(YamuxHeader.TYPE_PING, YamuxHeader.FLAG_SYN, 0, 2, null));
    s.onBytes(frame(YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_SYN, 1, 0, null));
    assertThat(r.sent).as("no reply once the backlog passed its bound").hasSize(1);
    assertThat(r.closedReason).startsWith("yamux_outbound_backlog");
  }

  @Test
  void aListenerThatCreditsWhenConsumedHoldsTheWindowUntilItDrains() {
    Recorder r = new Recorder();
    List<P2pStream> streams = new ArrayList<>();
    List<Integer> received = new ArrayList<>();
    StreamHandler handler = stream -> {
      streams.add(stream);
      return new StreamListener() {
        @Override
        public void onData(P2pStream st, byte[] bytes) {
          received.add(bytes.length);
        }

        @Override
        public boolean creditsWhenConsumed() {
          return true;
        }
      };
    };
    YamuxSession s = session(r, P2pConfig.defaults(), handler);
    s.onBytes(frame(YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_SYN, 1, 0, null));
    ByteBuf mss = Unpooled.buffer();
    dev.cairn.p2p.mss.MultistreamSelect.dialer(List.of("/t/1")).start(mss);
    byte[] hello = new byte[mss.readableBytes()];
    mss.readBytes(hello);
    s.onBytes(frame(YamuxHeader.TYPE_DATA, 0, 1, hello.length, hello));
    assertThat(streams).hasSize(1);
    int chunk = 64 * 1024;
    for (int i = 0; i < 3; i++) s.onBytes(frame(YamuxHeader.TYPE_DATA, 0, 1, chunk, new byte[chunk]));
    assertThat(received).hasSize(3);
    assertThat(windowCredit(r)).as("credit before the listener drained anything").isZero();
    streams.get(0).consumed(3 * chunk);
    assertThat(windowCredit(r)).as("credit once drained (and the negotiation bytes)").isEqualTo(3L * chunk + hello.length);
  }

  private static long windowCredit(Recorder r) {
    return r.sent.stream().filter(h -> h.type() == YamuxHeader.TYPE_WINDOW_UPDATE && h.flags() == 0 && h.streamId() == 1)
        .mapToLong(YamuxHeader::length).sum();
  }
}
