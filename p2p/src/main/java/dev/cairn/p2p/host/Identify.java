package dev.cairn.p2p.host;

import dev.cairn.p2p.P2pStream;
import dev.cairn.p2p.StreamListener;
import dev.cairn.p2p.wire.DecodeException;
import dev.cairn.p2p.wire.Varint;
import java.io.ByteArrayOutputStream;
import java.util.function.BiConsumer;

/**
 * {@code /ipfs/id/1.0.0}: the responder writes one varint-length-prefixed Identify message and half-closes;
 * the initiator reads until the remote's FIN (js reads until EOF) and parses it.
 */
final class Identify {
  static final String PROTOCOL = "/ipfs/id/1.0.0";

  private Identify() {}

  static void respond(P2pStream stream, IdentifyMessage message) {
    byte[] body = message.encode();
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 4);
    Varint.write(out, body.length);
    out.writeBytes(body);
    stream.write(out.toByteArray());
    stream.closeWrite();
  }

  /** Parses one length-prefixed Identify message. */
  static IdentifyMessage parse(byte[] framed, int messageBytesMax) {
    long[] len = Varint.read(framed, 0, framed.length);
    if (len[0] > messageBytesMax) throw new DecodeException("identify_too_long", len[0] + " bytes");
    if (len[0] > framed.length - len[1]) throw new DecodeException("identify_truncated", len[0] + " bytes");
    byte[] body = java.util.Arrays.copyOfRange(framed, (int) len[1], (int) (len[1] + len[0]));
    return IdentifyMessage.decode(body);
  }

  /** Collects the remote's answer up to a bound, then hands over the parsed message or the failure reason. */
  static final class Reader implements StreamListener {
    private final int messageBytesMax;
    private final BiConsumer<IdentifyMessage, String> done;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private boolean finished;

    Reader(int messageBytesMax, BiConsumer<IdentifyMessage, String> done) {
      this.messageBytesMax = messageBytesMax;
      this.done = done;
    }

    @Override
    public void onData(P2pStream stream, byte[] bytes) {
      if (finished) return;
      if (buf.size() + bytes.length > messageBytesMax + Varint.BYTES_MAX) {
        finish(null, "identify_too_long");
        stream.reset();
        return;
      }
      buf.writeBytes(bytes);
    }

    @Override
    public void onRemoteClosed(P2pStream stream) {
      if (finished) return;
      try {
        finish(parse(buf.toByteArray(), messageBytesMax), null);
      } catch (DecodeException e) {
        finish(null, e.reason());
      }
      stream.closeWrite();
    }

    @Override
    public void onReset(P2pStream stream) {
      finish(null, "identify_reset");
    }

    void finish(IdentifyMessage m, String failure) {
      if (finished) return;
      finished = true;
      done.accept(m, failure);
    }
  }
}
