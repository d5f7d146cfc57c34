package dev.cairn.p2p;

import dev.cairn.p2p.identity.PeerId;

/**
 * One negotiated libp2p stream (a Yamux stream after multistream-select). Methods may be called from any
 * thread; they never block. Inbound bytes arrive at the {@link StreamListener} given when the stream was
 * opened or accepted.
 */
public interface P2pStream {
  PeerId remotePeer();

  /** The protocol ID both sides agreed on, e.g. {@code /ipfs/ping/1.0.0}. */
  String protocol();

  /** True when this side opened the stream. */
  boolean outbound();

  /**
   * Queues bytes for sending. Backpressure policy: the stream buffers at most
   * {@link P2pConfig#streamWriteQueueBytesMax()} bytes not yet granted by the remote's window; beyond that
   * the write is refused whole with {@link WriteResult#QUEUE_FULL} and the caller decides (gossip drops,
   * request/response fails the request). Nothing is ever half-written.
   */
  WriteResult write(byte[] bytes);

  /**
   * As {@link #write}, but the stream takes ownership of {@code bytes}: the caller must not touch the array
   * afterwards. Saves the defensive copy of large bodies (a 4 MiB response). Defaults to {@link #write}.
   */
  default WriteResult writeOwned(byte[] bytes) {
    return write(bytes);
  }

  /** Bytes queued and not yet sent (waiting for the remote's window). */
  long queuedBytes();

  /** Half-closes: sends FIN after everything queued. Reading continues until the remote closes. */
  void closeWrite();

  /** Abandons the stream in both directions (RST). */
  void reset();

  /**
   * For a listener that {@linkplain StreamListener#creditsWhenConsumed credits when consumed}: {@code bytes}
   * handed to it have been processed, so the remote may send that many more. Any thread.
   */
  default void consumed(int bytes) {}

  /** Outcome of {@link #write}. */
  enum WriteResult {
    QUEUED,
    QUEUE_FULL,
    CLOSED
  }
}
