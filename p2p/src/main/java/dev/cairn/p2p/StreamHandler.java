package dev.cairn.p2p;

/** Accepts inbound streams of one protocol: returns the listener for the stream's bytes. Must not block. */
@FunctionalInterface
public interface StreamHandler {
  StreamListener onStream(P2pStream stream);
}
