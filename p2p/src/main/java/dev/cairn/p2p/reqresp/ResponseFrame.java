package dev.cairn.p2p.reqresp;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.cairn.p2p.wire.FrameReader;
import java.nio.charset.StandardCharsets;

/**
 * A response on the wire: one frame {@code uvarint(1 + n) || status || body(n)}. Status 0 is success and
 * the body is the response; any other status is an error whose body is a UTF-8 message.
 */
final class ResponseFrame {
  static final byte OK = 0;
  static final byte REFUSED = 1;
  static final byte SERVER_ERROR = 2;
  static final byte BUSY = 3;
  /** Error messages are for logs; cap them so an error cannot be a large response in disguise. */
  static final int ERROR_MESSAGE_BYTES_MAX = 512;

  private ResponseFrame() {}

  /** Length prefix and status byte; the body follows as a separate write, saving a copy of large bodies. */
  static byte[] header(byte status, int bodyBytes) {
    byte[] out = new byte[FrameReader.uvarintSize(1L + bodyBytes) + 1];
    int pos = FrameReader.writeUvarint(out, 0, 1L + bodyBytes);
    out[pos] = status;
    return out;
  }

  static byte[] errorBody(String message) {
    byte[] text = String.valueOf(message).getBytes(StandardCharsets.UTF_8);
    return text.length <= ERROR_MESSAGE_BYTES_MAX ? text : java.util.Arrays.copyOf(text, ERROR_MESSAGE_BYTES_MAX);
  }

  static Response parse(byte[] frame) {
    if (frame.length == 0) {
      return new Response.Failed(Response.Reason.MALFORMED_RESPONSE, "empty response frame");
    }
    byte status = frame[0];
    if (status == OK) {
      return new Response.Ok(UnsafeByteOperations.unsafeWrap(frame, 1, frame.length - 1));
    }
    String message = ByteString.copyFrom(frame, 1, Math.min(frame.length - 1, ERROR_MESSAGE_BYTES_MAX))
        .toString(StandardCharsets.UTF_8);
    return switch (status) {
      case REFUSED, SERVER_ERROR -> new Response.Failed(Response.Reason.REMOTE_ERROR, message);
      case BUSY -> new Response.Failed(Response.Reason.REMOTE_BUSY, message);
      default -> new Response.Failed(Response.Reason.MALFORMED_RESPONSE, "unknown status " + (status & 0xFF));
    };
  }
}
