package dev.cairn.p2p.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Splits a byte stream into {@code uvarint(length) || body} frames, as libp2p pubsub and request/response
 * streams carry them. Bytes arrive in arbitrary chunks; a frame longer than {@code frameBytesMax} or a
 * malformed length refuses the stream (the reader then stays refused), so a peer cannot make us buffer
 * without limit. A frame's buffer grows as its bytes arrive (doubling, from at most
 * {@link #INITIAL_BODY_BYTES_MAX}) rather than taking the declared length up front, so a peer that announces
 * a large frame and then sends nothing costs us what it sent, not what it announced. Not thread-safe: one
 * reader per stream direction.
 */
public final class FrameReader {
  /** A uvarint of up to 5 bytes covers every int length; more is garbage. */
  private static final int LENGTH_BYTES_MAX = 5;
  /** The buffer a frame starts with when it declares more; it doubles as bytes arrive, up to the frame's length. */
  static final int INITIAL_BODY_BYTES_MAX = 64 * 1024;

  private final int frameBytesMax;
  private long length;
  private int lengthBytes;
  private byte[] body;
  private int bodyLength;
  private int bodyFilled;
  private Result.Refused refused;

  public FrameReader(int frameBytesMax) {
    if (frameBytesMax <= 0) {
      throw new IllegalArgumentException("frameBytesMax must be > 0: " + frameBytesMax);
    }
    this.frameBytesMax = frameBytesMax;
  }

  /** What one {@link #feed} produced. */
  public sealed interface Result {
    /** Zero or more complete frames, in order; a partial frame stays buffered. */
    record Frames(List<byte[]> frames) implements Result {
      public Frames {
        frames = List.copyOf(frames);
      }
    }

    /** The stream broke the framing; drop it. */
    record Refused(Reason reason, String detail) implements Result {
      public Refused {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
      }
    }
  }

  public enum Reason {
    FRAME_TOO_LARGE,
    LENGTH_MALFORMED
  }

  public static byte[] frame(byte[] body) {
    byte[] out = new byte[uvarintSize(body.length) + body.length];
    int pos = writeUvarint(out, 0, body.length);
    System.arraycopy(body, 0, out, pos, body.length);
    return out;
  }

  public static int uvarintSize(long value) {
    int size = 1;
    while ((value & ~0x7FL) != 0) {
      value >>>= 7;
      size++;
    }
    return size;
  }

  /** Writes {@code value} as a uvarint at {@code pos}; returns the position after it. */
  public static int writeUvarint(byte[] out, int pos, long value) {
    while ((value & ~0x7FL) != 0) {
      out[pos++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[pos++] = (byte) value;
    return pos;
  }

  public Result feed(byte[] chunk) {
    return feed(chunk, 0, chunk.length);
  }

  public Result feed(byte[] chunk, int offset, int count) {
    Objects.checkFromIndexSize(offset, count, chunk.length);
    if (refused != null) {
      return refused;
    }
    List<byte[]> frames = new ArrayList<>();
    int pos = offset;
    int end = offset + count;
    while (pos < end) {
      if (body == null) {
        pos = readLength(chunk, pos, end);
        if (refused != null) {
          return refused;
        }
        if (body != null && bodyLength == 0) {
          frames.add(completeFrame());
        }
      } else {
        int take = Math.min(end - pos, bodyLength - bodyFilled);
        if (bodyFilled + take > body.length) {
          body = java.util.Arrays.copyOf(body, (int) Math.min(bodyLength, Math.max(bodyFilled + (long) take, 2L * body.length)));
        }
        System.arraycopy(chunk, pos, body, bodyFilled, take);
        bodyFilled += take;
        pos += take;
        if (bodyFilled == bodyLength) {
          frames.add(completeFrame());
        }
      }
    }
    return new Result.Frames(frames);
  }

  /** Bytes held for the partial frame now buffered (its buffer's size, not its declared length). */
  public int bufferedBytes() {
    return body == null ? 0 : body.length;
  }

  /** True when no partial frame is buffered: the stream may end here cleanly. */
  public boolean atFrameBoundary() {
    return body == null && lengthBytes == 0;
  }

  private int readLength(byte[] chunk, int pos, int end) {
    while (pos < end) {
      int b = chunk[pos++] & 0xFF;
      length |= (long) (b & 0x7F) << (7 * lengthBytes);
      lengthBytes++;
      if ((b & 0x80) == 0) {
        if (lengthBytes > 1 && b == 0) {
          refused = new Result.Refused(Reason.LENGTH_MALFORMED, "non-minimal uvarint length");
        } else if (length > frameBytesMax) {
          refused = new Result.Refused(Reason.FRAME_TOO_LARGE, length + " > " + frameBytesMax + " bytes");
        } else {
          bodyLength = (int) length;
          body = new byte[Math.min(bodyLength, INITIAL_BODY_BYTES_MAX)];
          bodyFilled = 0;
        }
        return pos;
      }
      if (lengthBytes == LENGTH_BYTES_MAX) {
        refused = new Result.Refused(Reason.LENGTH_MALFORMED, "uvarint length longer than 5 bytes");
        return pos;
      }
    }
    return pos;
  }

  private byte[] completeFrame() {
    byte[] done = body;
    body = null;
    length = 0;
    lengthBytes = 0;
    return done;
  }
}
