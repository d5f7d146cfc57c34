package dev.cairn.p2p.mss;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.p2p.wire.DecodeException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class MultistreamSelectProperties {

  @Property(tries = 2000)
  void garbageEndsInDecisionOrDecodeExceptionOnly(@ForAll @Size(max = 200) byte[] garbage, @ForAll boolean dialer) {
    MultistreamSelect mss = dialer ? MultistreamSelect.dialer(List.of("/noise")) : MultistreamSelect.listener("/noise"::equals, 8);
    ByteBuf out = Unpooled.buffer();
    try {
      MultistreamSelect.Outcome o = mss.onInput(Unpooled.wrappedBuffer(garbage), out);
      assertThat(o).isNotNull();
    } catch (DecodeException expected) {
      assertThat(expected.reason()).matches("(mss|varint)_.*");
    }
    assertThat(out.readableBytes()).isLessThanOrEqualTo(9 * 40);
  }

  @Property(tries = 300)
  void splitInputGivesTheSameOutcome(@ForAll @Size(min = 1, max = 40) List<@Size(max = 3) byte[]> cuts) {
    ByteBuf whole = Unpooled.buffer();
    MultistreamSelect.writeLine(whole, MultistreamSelect.HEADER);
    MultistreamSelect.writeLine(whole, "/yamux/1.0.0");
    byte[] all = new byte[whole.readableBytes()];
    whole.readBytes(all);
    MultistreamSelect listener = MultistreamSelect.listener("/yamux/1.0.0"::equals, 8);
    ByteBuf in = Unpooled.buffer();
    int pos = 0;
    for (byte[] cut : cuts) {
      int n = Math.min(cut.length, all.length - pos);
      in.writeBytes(all, pos, n);
      pos += n;
      listener.onInput(in, Unpooled.buffer());
    }
    in.writeBytes(all, pos, all.length - pos);
    assertThat(listener.onInput(in, Unpooled.buffer())).isEqualTo(new MultistreamSelect.Outcome.Selected("/yamux/1.0.0"));
  }
}
