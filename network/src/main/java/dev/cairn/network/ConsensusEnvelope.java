package dev.cairn.network;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.encoding.CanonicalReader;
import dev.cairn.ledger.encoding.CanonicalWriter;
import dev.cairn.ledger.encoding.CodecException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The wrapper of an encoded consensus message on the consensus topic: {@code version u8 = 1 | sequence u64 |
 * message}. Gossip on Cairn's topics uses content ids (StrictNoSign), so a validator re-sending the very same
 * signed vote (after a round timeout, or a restart) would be dropped as already seen by every peer; the
 * sender's sequence number, new for every send, keeps each send a distinct message. The receiver checks the
 * framing and strips it; the sequence carries no meaning beyond that (the message itself is signed and the
 * engine drops duplicates).
 */
public final class ConsensusEnvelope {
  static final int VERSION = 1;
  public static final int HEADER_BYTES = 1 + 8;

  private ConsensusEnvelope() {}

  public sealed interface Opening {
    record Opened(long sequence, Bytes message) implements Opening {
      public Opened {
        Objects.requireNonNull(message, "message");
      }
    }

    record Malformed(String detail) implements Opening {
      public Malformed {
        Objects.requireNonNull(detail, "detail");
      }
    }
  }

  public static byte[] seal(long sequence, Bytes message) {
    if (sequence < 0 || message.size() == 0) {
      throw new IllegalStateException("consensus envelope needs sequence >= 0 and a message, got " + sequence
          + " and " + message.size() + " bytes");
    }
    return new CanonicalWriter(HEADER_BYTES + message.size()).u8(VERSION).u64(sequence).fixed(message).toByteArray();
  }

  public static Opening open(byte[] bytes) {
    try {
      CanonicalReader in = new CanonicalReader(bytes);
      in.expect(VERSION, "version");
      long sequence = in.u64("sequence");
      if (in.remaining() == 0) {
        throw new CodecException("message: empty");
      }
      return new Opening.Opened(sequence, Bytes.wrap(Arrays.copyOfRange(bytes, HEADER_BYTES, bytes.length)));
    } catch (CodecException e) {
      return new Opening.Malformed(e.getMessage());
    }
  }
}
