package dev.cairn.p2p.host;

import dev.cairn.p2p.P2pStream;
import dev.cairn.p2p.StreamListener;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/** {@code /ipfs/ping/1.0.0}: 32 random bytes out, the same 32 back. The responder echoes until EOF. */
final class Ping {
  static final String PROTOCOL = "/ipfs/ping/1.0.0";
  static final int PAYLOAD_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ping() {}

  /** Responder: echo everything, half-close when the remote does. */
  static final class Echo implements StreamListener {
    @Override
    public void onData(P2pStream stream, byte[] bytes) {
      if (stream.write(bytes) != P2pStream.WriteResult.QUEUED) stream.reset();
    }

    @Override
    public void onRemoteClosed(P2pStream stream) {
      stream.closeWrite();
    }
  }

  /** Client side of one ping: completes with the round trip, or exceptionally on mismatch or reset. */
  static final class Probe implements StreamListener {
    final byte[] payload = new byte[PAYLOAD_BYTES];
    final CompletableFuture<Duration> result = new CompletableFuture<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream(PAYLOAD_BYTES);
    private long sentNanos;

    Probe() {
      RANDOM.nextBytes(payload);
    }

    void send(P2pStream stream) {
      sentNanos = System.nanoTime();
      if (stream.write(payload) != P2pStream.WriteResult.QUEUED) {
        result.completeExceptionally(new IllegalStateException("ping write refused"));
        stream.reset();
      }
    }

    @Override
    public void onData(P2pStream stream, byte[] bytes) {
      if (result.isDone()) return;
      received.writeBytes(bytes);
      if (received.size() < PAYLOAD_BYTES) return;
      long rtt = System.nanoTime() - sentNanos;
      if (received.size() == PAYLOAD_BYTES && Arrays.equals(received.toByteArray(), payload)) {
        result.complete(Duration.ofNanos(rtt));
        stream.closeWrite();
      } else {
        result.completeExceptionally(new IllegalStateException("ping answer does not match"));
        stream.reset();
      }
    }

    @Override
    public void onReset(P2pStream stream) {
      result.completeExceptionally(new IllegalStateException("ping stream reset"));
    }
  }
}
