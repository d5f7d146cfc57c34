package dev.cairn.p2p.mss;

import dev.cairn.p2p.wire.DecodeException;
import dev.cairn.p2p.wire.Varint;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;

/**
 * multistream-select 1.0 as a pure state machine over bytes, for one negotiation (connection security,
 * muxer, or one stream). Messages are {@code uvarint(len) || utf8 || '\n'}. The dialer sends the header and
 * its first proposal together and never waits for the listener's header first (js only answers after it
 * has read ours). No lazy negotiation: the dialer always waits for the echo.
 */
public final class MultistreamSelect {
  public static final String HEADER = "/multistream/1.0.0";
  public static final String NA = "na";
  /** js refuses protocol lines over 1024 bytes; we do the same. */
  public static final int LINE_BYTES_MAX = 1024;

  /** What a negotiation step produced. */
  public sealed interface Outcome {
    record Pending() implements Outcome {}

    record Selected(String protocol) implements Outcome {}

    record Failed(String reason) implements Outcome {}
  }

  private static final Outcome PENDING = new Outcome.Pending();

  private final boolean dialer;
  private final List<String> proposals;
  private final Predicate<String> supported;
  private final int proposalsMax;
  private boolean headerSeen;
  private int index;
  private int refused;
  private Outcome outcome = PENDING;

  private MultistreamSelect(boolean dialer, List<String> proposals, Predicate<String> supported, int proposalsMax) {
    this.dialer = dialer;
    this.proposals = proposals;
    this.supported = supported;
    this.proposalsMax = proposalsMax;
  }

  public static MultistreamSelect dialer(List<String> proposals) {
    if (proposals.isEmpty()) throw new IllegalArgumentException("dialer needs at least one proposal");
    return new MultistreamSelect(true, List.copyOf(proposals), p -> false, 0);
  }

  public static MultistreamSelect listener(Predicate<String> supported, int proposalsMax) {
    return new MultistreamSelect(false, List.of(), supported, proposalsMax);
  }

  /** The dialer's opening write (header plus first proposal); nothing for a listener. */
  public void start(ByteBuf out) {
    if (dialer) {
      writeLine(out, HEADER);
      writeLine(out, proposals.get(0));
    }
  }

  /**
   * Consumes every complete message in {@code in}, writes answers to {@code out}, and stops at the first
   * decision. Bytes after a decision stay in {@code in} for the selected protocol.
   */
  public Outcome onInput(ByteBuf in, ByteBuf out) {
    while (outcome instanceof Outcome.Pending) {
      String line = readLine(in);
      if (line == null) break;
      outcome = dialer ? dialerStep(line, out) : listenerStep(line, out);
    }
    return outcome;
  }

  public Outcome outcome() {
    return outcome;
  }

  private Outcome dialerStep(String line, ByteBuf out) {
    if (!headerSeen) {
      headerSeen = true;
      return line.equals(HEADER) ? PENDING : new Outcome.Failed("mss_bad_header");
    }
    if (line.equals(proposals.get(index))) return new Outcome.Selected(line);
    if (!line.equals(NA)) return new Outcome.Failed("mss_unexpected_answer");
    index++;
    if (index >= proposals.size()) return new Outcome.Failed("mss_protocol_refused");
    writeLine(out, proposals.get(index));
    return PENDING;
  }

  private Outcome listenerStep(String line, ByteBuf out) {
    if (!headerSeen) {
      headerSeen = true;
      if (!line.equals(HEADER)) return new Outcome.Failed("mss_bad_header");
      writeLine(out, HEADER);
      return PENDING;
    }
    if (!line.equals("ls") && supported.test(line)) {
      writeLine(out, line);
      return new Outcome.Selected(line);
    }
    if (++refused > proposalsMax) return new Outcome.Failed("mss_too_many_proposals");
    writeLine(out, NA);
    return PENDING;
  }

  /** Reads one complete message or returns null (leaving {@code in} untouched) when more bytes are needed. */
  static String readLine(ByteBuf in) {
    int start = in.readerIndex();
    long len = Varint.tryRead(in);
    if (len < 0) return null;
    if (len < 1 || len > LINE_BYTES_MAX) {
      throw new DecodeException("mss_bad_length", "line length " + len);
    }
    if (in.readableBytes() < len) {
      in.readerIndex(start);
      return null;
    }
    byte[] b = new byte[(int) len];
    in.readBytes(b);
    if (b[b.length - 1] != '\n') throw new DecodeException("mss_no_newline", "line of " + len + " bytes");
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b, 0, b.length - 1))
          .toString();
    } catch (CharacterCodingException e) {
      throw new DecodeException("mss_bad_utf8", "line of " + len + " bytes");
    }
  }

  public static void writeLine(ByteBuf out, String text) {
    byte[] b = (text + "\n").getBytes(StandardCharsets.UTF_8);
    if (b.length > LINE_BYTES_MAX) throw new IllegalArgumentException("protocol id too long: " + text);
    Varint.write(out, b.length);
    out.writeBytes(b);
  }
}
