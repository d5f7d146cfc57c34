package dev.cairn.p2p.mss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.p2p.wire.DecodeException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MultistreamSelectTest {

  @Test
  void dialerAndListenerAgreeAfterNa() {
    MultistreamSelect dialer = MultistreamSelect.dialer(List.of("/a/1", "/b/1"));
    MultistreamSelect listener = MultistreamSelect.listener(Set.of("/b/1")::contains, 4);
    ByteBuf toListener = Unpooled.buffer();
    ByteBuf toDialer = Unpooled.buffer();
    dialer.start(toListener);
    for (int i = 0; i < 4 && dialer.outcome() instanceof MultistreamSelect.Outcome.Pending; i++) {
      listener.onInput(toListener, toDialer);
      dialer.onInput(toDialer, toListener);
    }
    assertThat(dialer.outcome()).isEqualTo(new MultistreamSelect.Outcome.Selected("/b/1"));
    assertThat(listener.outcome()).isEqualTo(new MultistreamSelect.Outcome.Selected("/b/1"));
  }

  @Test
  void dialerSendsHeaderAndProposalInOneWrite() {
    ByteBuf out = Unpooled.buffer();
    MultistreamSelect.dialer(List.of("/noise")).start(out);
    // 0x13 "/multistream/1.0.0\n" 0x07 "/noise\n"
    assertThat(out.readByte()).isEqualTo((byte) 19);
    out.skipBytes(19);
    assertThat(out.readByte()).isEqualTo((byte) 7);
    assertThat(out.readableBytes()).isEqualTo(7);
  }

  @Test
  void listenerGivesUpAfterTooManyProposals() {
    MultistreamSelect listener = MultistreamSelect.listener(p -> false, 2);
    ByteBuf in = Unpooled.buffer();
    MultistreamSelect.writeLine(in, MultistreamSelect.HEADER);
    for (int i = 0; i < 3; i++) MultistreamSelect.writeLine(in, "/x/" + i);
    assertThat(listener.onInput(in, Unpooled.buffer())).isEqualTo(new MultistreamSelect.Outcome.Failed("mss_too_many_proposals"));
  }

  @Test
  void rejectsOverlongLinesAndMissingNewline() {
    ByteBuf in = Unpooled.buffer();
    in.writeBytes(new byte[] {(byte) 0x81, 0x08}); // 1025
    assertThatThrownBy(() -> MultistreamSelect.readLine(in)).isInstanceOf(DecodeException.class);
    ByteBuf noNl = Unpooled.wrappedBuffer(new byte[] {2, 'n', 'a'});
    assertThatThrownBy(() -> MultistreamSelect.readLine(noNl)).isInstanceOf(DecodeException.class);
  }

  @Test
  void partialInputWaits() {
    ByteBuf in = Unpooled.wrappedBuffer(new byte[] {3, 'n', 'a'});
    assertThat(MultistreamSelect.readLine(in)).isNull();
    assertThat(in.readerIndex()).isZero();
  }
}
