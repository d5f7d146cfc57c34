package dev.cairn.p2p;

/** Opening a stream failed: the remote refused the protocol, reset the stream, or the connection ended. */
public final class StreamRefusedException extends RuntimeException {
  public StreamRefusedException(String message) {
    super(message);
  }
}
