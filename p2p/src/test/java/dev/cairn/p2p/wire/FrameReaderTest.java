package dev.cairn.p2p.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameReaderTest {
  @Test
  void aFrameThatAnnouncesMegabytesCostsWhatArrivedNotWhatWasAnnounced() {
    int announced = 8 * 1024 * 1024;
    FrameReader reader = new FrameReader(announced);
    byte[] header = new byte[FrameReader.uvarintSize(announced)];
    FrameReader.writeUvarint(header, 0, announced);
    reader.feed(header);
    reader.feed(new byte[10]);
    assertThat(reader.bufferedBytes()).as("buffer after 10 body bytes of an 8 MiB frame")
        .isLessThanOrEqualTo(FrameReader.INITIAL_BODY_BYTES_MAX);
  }

  @Test
  void aLargeFrameGrowsItsBufferAndArrivesWhole() {
    byte[] body = new byte[3 * FrameReader.INITIAL_BODY_BYTES_MAX + 17];
    for (int i = 0; i < body.length; i++) body[i] = (byte) (i * 31);
    byte[] framed = FrameReader.frame(body);
    FrameReader reader = new FrameReader(body.length);
    FrameReader.Result last = null;
    for (int pos = 0; pos < framed.length; pos += 5_000) {
      last = reader.feed(framed, pos, Math.min(5_000, framed.length - pos));
      if (pos + 5_000 < framed.length) {
        assertThat(reader.bufferedBytes()).isLessThanOrEqualTo(Math.max(FrameReader.INITIAL_BODY_BYTES_MAX, 2 * (pos + 5_000)));
      }
    }
    assertThat(last).isInstanceOf(FrameReader.Result.Frames.class);
    assertThat(((FrameReader.Result.Frames) last).frames()).hasSize(1);
    assertThat(Arrays.equals(((FrameReader.Result.Frames) last).frames().get(0), body)).isTrue();
    assertThat(reader.atFrameBoundary()).isTrue();
  }
}
