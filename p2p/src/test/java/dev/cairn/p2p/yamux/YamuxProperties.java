package dev.cairn.p2p.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.p2p.DecodeException;
import dev.cairn.p2p.P2pConfig;
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
