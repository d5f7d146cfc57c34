package dev.cairn.p2p.reqresp;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.cairn.p2p.P2pStream;
import dev.cairn.p2p.StreamListener;
import dev.cairn.p2p.wire.FrameReader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer's side of one request, served by us: read exactly one request frame, call the handler, write one
 * response frame and half-close. A broken request (oversized, malformed, FIN before a frame, a second frame)
 * resets the stream. {@code finished} runs exactly once, when the exchange is over either way.
 */
final class InboundRequest implements StreamListener {
  private static final Logger log = LoggerFactory.getLogger(InboundRequest.class);

  private final RequestHandler handler;
  private final int responseBytesMax;
  private final FrameReader reader;
  private final Runnable finished;
  private final AtomicBoolean done = new AtomicBoolean();
  private boolean requestSeen;

  InboundRequest(RequestHandler handler, int requestBytesMax, int responseBytesMax, Runnable finished) {
    this.handler = handler;
    this.responseBytesMax = responseBytesMax;
    this.reader = new FrameReader(requestBytesMax);
    this.finished = finished;
  }

  /** Answers BUSY right away: the peer has too many requests with us. */
  static void refuseBusy(P2pStream s) {
    byte[] body = ResponseFrame.errorBody("too many concurrent requests");
    s.write(ResponseFrame.header(ResponseFrame.BUSY, body.length));
    s.write(body);
    s.closeWrite();
  }

  @Override
  public void onData(P2pStream s, byte[] bytes) {
    if (done.get()) {
      return;
    }
    switch (reader.feed(bytes)) {
      case FrameReader.Result.Refused refused -> abort(s, "request " + refused.reason() + ": " + refused.detail());
      case FrameReader.Result.Frames frames -> {
        if (frames.frames().isEmpty()) {
          return;
        }
        if (requestSeen || frames.frames().size() > 1) {
          abort(s, "more than one request frame");
          return;
        }
        requestSeen = true;
        serve(s, UnsafeByteOperations.unsafeWrap(frames.frames().get(0)));
      }
    }
  }

  private void serve(P2pStream s, ByteString request) {
    CompletionStage<ByteString> reply;
    try {
      reply = handler.handle(s.remotePeer(), request);
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    if (reply == null) {
      reply = CompletableFuture.failedFuture(new IllegalStateException("handler returned null"));
    }
    reply.whenComplete((body, error) -> respond(s, body, error));
  }

  private void respond(P2pStream s, ByteString body, Throwable error) {
    if (!done.compareAndSet(false, true)) {
      return;
    }
    try {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (cause == null && body != null && body.size() <= responseBytesMax) {
        boolean written = s.write(ResponseFrame.header(ResponseFrame.OK, body.size())) == P2pStream.WriteResult.QUEUED
            && (body.isEmpty() || s.writeOwned(body.toByteArray()) == P2pStream.WriteResult.QUEUED);
        if (!written) {
          // Never leave a half-written response: the requester would wait for the rest.
          s.reset();
          return;
        }
      } else {
        byte status = cause instanceof RequestRefusedException ? ResponseFrame.REFUSED : ResponseFrame.SERVER_ERROR;
        String message = cause != null ? cause.getMessage()
            : body == null ? "no response" : "response of " + body.size() + " bytes exceeds " + responseBytesMax;
        if (status == ResponseFrame.SERVER_ERROR) {
          log.debug("reqresp handler failed peer={} protocol={} error={}", s.remotePeer().shortText(), s.protocol(),
              String.valueOf(cause != null ? cause : message));
        }
        byte[] text = ResponseFrame.errorBody(message);
        s.write(ResponseFrame.header(status, text.length));
        s.write(text);
      }
      s.closeWrite();
    } finally {
      finished.run();
    }
  }

  /** The exchange is abandoned (bad request, timeout, reset): reset the stream and release the slot. */
  void abort(P2pStream s, String reason) {
    if (done.compareAndSet(false, true)) {
      log.debug("reqresp request aborted peer={} protocol={} reason={}", s.remotePeer().shortText(), s.protocol(),
          reason);
      s.reset();
      finished.run();
    }
  }

  @Override
  public void onRemoteClosed(P2pStream s) {
    if (!requestSeen) {
      abort(s, "closed before a complete request");
    }
  }

  @Override
  public void onReset(P2pStream s) {
    if (done.compareAndSet(false, true)) {
      finished.run();
    }
  }
}
