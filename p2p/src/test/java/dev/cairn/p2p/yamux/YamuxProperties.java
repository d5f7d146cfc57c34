package dev.cairn.p2p.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.p2p.P2pConfig;
import dev.cairn.p2p.wire.DecodeException;
import io.netty.buffer.Unpooled;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class YamuxProperties {

  @Property(tries = 2000)
  void garbageFramesFailOnlyWithDecodeException(@ForAll @Size(max = 10) List<@Size(max = 40) byte[]> chunks) {
    YamuxSessionTest.Recorder r = new YamuxSessionTest.Recorder();
    YamuxSession s = YamuxSessionTest.session(r, P2pConfig.defaults(), stream -> (st, b) -> { });
    try {
      for (byte[] c : chunks) s.onBytes(Unpooled.wrappedBuffer(c));
    } catch (DecodeException expected) {
      assertThat(expected.reason()).startsWith("yamux_").as("reason");
    }
    assertThat(s.openStreams()).isLessThanOrEqualTo(P2pConfig.defaults().yamuxInboundStreamsMax());
  }

  /** Well-formed frames in random order reach deep session states; still only DecodeException may escape. */
  @Property(tries = 300)
  void randomWellFormedFrameSequencesStayBounded(
      @ForAll @Size(max = 40) List<@net.jqwik.api.constraints.IntRange(min = 0, max = 1 << 20) Integer> ops) {
    YamuxSessionTest.Recorder r = new YamuxSessionTest.Recorder();
    YamuxSession s = YamuxSessionTest.session(r, P2pConfig.defaults(), stream -> (st, b) -> st.write(b));
    try {
      for (int op : ops) {
        long id = 1 + 2L * (op % 4);
        int flags = (op >> 2) & 0xF;
        int len = (op >> 6) % 2000;
        switch ((op >> 4) % 4) {
          case 0 -> s.onBytes(YamuxSessionTest.frame(YamuxHeader.TYPE_DATA, flags, id, len, new byte[len]));
          case 1 -> s.onBytes(YamuxSessionTest.frame(YamuxHeader.TYPE_WINDOW_UPDATE, flags, id, len, null));
          case 2 -> s.onBytes(YamuxSessionTest.frame(YamuxHeader.TYPE_PING, flags & 3, 0, len, null));
          default -> s.onBytes(YamuxSessionTest.frame(YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_SYN, id, 0, null));
        }
      }
    } catch (DecodeException expected) {
      assertThat(expected.reason()).matches("(yamux|mss|varint)_.*");
    }
    assertThat(s.openStreams()).isLessThanOrEqualTo(4);
  }

  @Property(tries = 1000)
  void headerRoundTrips(@ForAll byte type, @ForAll byte flags, @ForAll int stream, @ForAll int length) {
    int t = Math.floorMod(type, 4);
    long id = (t == YamuxHeader.TYPE_PING || t == YamuxHeader.TYPE_GO_AWAY) ? 0 : Integer.toUnsignedLong(stream);
    YamuxHeader h = new YamuxHeader(t, flags & 0xF, id, Integer.toUnsignedLong(length));
    io.netty.buffer.ByteBuf b = Unpooled.buffer();
    h.write(b);
    assertThat(YamuxHeader.tryRead(b)).isEqualTo(h);
  }
}
