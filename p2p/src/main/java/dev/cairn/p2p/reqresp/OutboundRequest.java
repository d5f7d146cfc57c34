package dev.cairn.p2p.reqresp;

import dev.cairn.p2p.P2pStream;
import dev.cairn.p2p.StreamListener;
import dev.cairn.p2p.wire.FrameReader;
import java.util.concurrent.CompletableFuture;

/**
 * Our side of one request: waits for exactly one response frame on the stream, then completes. Anything
 * else (reset, FIN before a frame, a second frame, an oversized frame, the timeout) completes it with the
 * matching failure. Completes at most once; {@code finished} runs once after completion.
 */
final class OutboundRequest implements StreamListener {
  final CompletableFuture<Response> result = new CompletableFuture<>();
  private final FrameReader reader;
  private final int responseBytesMax;
  private volatile P2pStream stream;

  OutboundRequest(int responseBytesMax, Runnable finished) {
    this.responseBytesMax = responseBytesMax;
    // One status byte precedes the body.
    this.reader = new FrameReader(responseBytesMax + 1);
    result.whenComplete((r, e) -> finished.run());
  }

  /** The stream is negotiated: send the framed request and half-close. */
  void opened(P2pStream s, byte[] framedRequest) {
    stream = s;
    if (result.isDone()) {
      s.reset();
      return;
    }
    P2pStream.WriteResult w = s.write(framedRequest);
    if (w != P2pStream.WriteResult.QUEUED) {
      fail(Response.Reason.CLOSED, "request write " + w);
      return;
    }
    s.closeWrite();
  }

  void fail(Response.Reason reason, String detail) {
    if (result.complete(new Response.Failed(reason, detail))) {
      P2pStream s = stream;
      if (s != null) {
        s.reset();
      }
    }
  }

  @Override
  public void onData(P2pStream s, byte[] bytes) {
    if (result.isDone()) {
      return;
    }
    switch (reader.feed(bytes)) {
      case FrameReader.Result.Refused refused -> fail(
          refused.reason() == FrameReader.Reason.FRAME_TOO_LARGE
              ? Response.Reason.RESPONSE_TOO_LARGE : Response.Reason.MALFORMED_RESPONSE,
          refused.detail() + " (responseBytesMax " + responseBytesMax + ")");
      case FrameReader.Result.Frames frames -> {
        if (frames.frames().size() > 1) {
          fail(Response.Reason.MALFORMED_RESPONSE, "more than one response frame");
        } else if (frames.frames().size() == 1) {
          result.complete(ResponseFrame.parse(frames.frames().get(0)));
        }
      }
    }
  }

  @Override
  public void onRemoteClosed(P2pStream s) {
    fail(Response.Reason.CLOSED, "stream closed before a complete response");
  }

  @Override
  public void onReset(P2pStream s) {
    fail(Response.Reason.CLOSED, "stream reset");
  }
}
