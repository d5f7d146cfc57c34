package dev.cairn.p2p.reqresp;

import com.google.protobuf.ByteString;
import java.util.Objects;

/** The outcome of a request: the peer's response body, or why there is none. Never an exception. */
public sealed interface Response {

  /** The peer answered. */
  record Ok(ByteString body) implements Response {
    public Ok {
      Objects.requireNonNull(body, "body");
    }
  }

  enum Reason {
    /** No complete response within the timeout; the stream was reset. */
    TIMEOUT,
    /** Our request exceeds requestBytesMax; nothing was sent. */
    REQUEST_TOO_LARGE,
    /** The response exceeds responseBytesMax; the stream was reset. */
    RESPONSE_TOO_LARGE,
    /** The peer's handler failed or refused the request; detail carries its message. */
    REMOTE_ERROR,
    /** The peer serves too many of our requests already. */
    REMOTE_BUSY,
    /** We already have outboundRequestsPerPeerMax requests in flight to this peer. */
    TOO_MANY_REQUESTS,
    /** The peer does not speak the protocol, or is not connected. */
    UNSUPPORTED,
    /** The stream was reset or closed before a response, or the service closed. */
    CLOSED,
    /** The response did not follow the framing. */
    MALFORMED_RESPONSE
  }

  record Failed(Reason reason, String detail) implements Response {
    public Failed {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
