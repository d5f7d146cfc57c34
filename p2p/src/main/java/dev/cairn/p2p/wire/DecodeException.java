package dev.cairn.p2p.wire;

/**
 * Untrusted bytes from a peer did not decode. Every bounded decoder in this module throws only this; the
 * connection that delivered the bytes catches it at its handler boundary, logs {@link #reason()} and closes.
 */
public final class DecodeException extends RuntimeException {
  private final String reason;

  public DecodeException(String reason, String detail) {
    super(reason + ": " + detail, null, false, false);
    this.reason = reason;
  }

  /** A short stable token naming what was wrong, e.g. {@code varint_too_long}. */
  public String reason() {
    return reason;
  }
}
