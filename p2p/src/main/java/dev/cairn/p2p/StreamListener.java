package dev.cairn.p2p;

/**
 * Receives one stream's inbound events. Called on the connection's event loop, in order: it must not block
 * (decode, enqueue onto the application's own bounded queue, return). A listener that throws gets its
 * stream reset; the connection stays up.
 */
public interface StreamListener {
  void onData(P2pStream stream, byte[] bytes);

  /** The remote half-closed (FIN): no more data will come. */
  default void onRemoteClosed(P2pStream stream) {}

  /** The stream was reset by either side or its connection closed. Terminal. */
  default void onReset(P2pStream stream) {}

  /**
   * True if this listener returns receive-window credit itself, with {@link P2pStream#consumed}, once the
   * bytes it was handed have been processed (not merely queued): the remote then cannot send more than the
   * window ahead of what this node actually drained. False (the default): credit is returned as soon as
   * {@link #onData} returns.
   */
  default boolean creditsWhenConsumed() {
    return false;
  }
}
