package dev.cairn.p2p.reqresp;

/** Thrown (or completed exceptionally) by a {@link RequestHandler} to answer a request with an error. */
public final class RequestRefusedException extends RuntimeException {
  public RequestRefusedException(String message) {
    super(message, null, false, false);
  }
}
