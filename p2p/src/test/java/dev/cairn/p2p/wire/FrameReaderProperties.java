package dev.cairn.p2p.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The uvarint frame reader: any chunking of valid frames reassembles them; garbage is refused, never thrown. */
class FrameReaderProperties {

  @Property(tries = 500)
  void framesSurviveAnyChunking(@ForAll @Size(max = 8) List<@Size(max = 300) byte[]> bodies,
      @ForAll @IntRange(min = 1, max = 64) int chunk) {
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    bodies.forEach(b -> stream.writeBytes(FrameReader.frame(b)));
    byte[] all = stream.toByteArray();
    FrameReader reader = new FrameReader(1024);
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < all.length; i += chunk) {
      var r = reader.feed(all, i, Math.min(chunk, all.length - i));
      assertThat(r).isInstanceOf(FrameReader.Result.Frames.class);
      out.addAll(((FrameReader.Result.Frames) r).frames());
    }
    assertThat(out).hasSameSizeAs(bodies);
    for (int i = 0; i < bodies.size(); i++) {
      assertThat(out.get(i)).isEqualTo(bodies.get(i));
    }
    assertThat(reader.atFrameBoundary()).isTrue();
  }

  @Property(tries = 3000)
  void garbageNeverThrowsAndNeverBuffersBeyondTheLimit(@ForAll @Size(max = 200) byte[] garbage,
      @ForAll @IntRange(min = 1, max = 100) int frameBytesMax) {
    FrameReader reader = new FrameReader(frameBytesMax);
    var r = reader.feed(garbage);
    if (r instanceof FrameReader.Result.Frames frames) {
      frames.frames().forEach(f -> assertThat(f.length).isLessThanOrEqualTo(frameBytesMax));
    } else {
      assertThat(reader.feed(new byte[] {1, 2})).isEqualTo(r);
    }
  }

  @Property
  void oversizedLengthIsRefusedBeforeAnyBodyArrives(@ForAll @IntRange(min = 101, max = Integer.MAX_VALUE) int length) {
    byte[] prefix = new byte[FrameReader.uvarintSize(length)];
    FrameReader.writeUvarint(prefix, 0, length);
    var r = new FrameReader(100).feed(prefix);
    assertThat(r).isInstanceOf(FrameReader.Result.Refused.class);
    assertThat(((FrameReader.Result.Refused) r).reason()).isEqualTo(FrameReader.Reason.FRAME_TOO_LARGE);
  }
}
