package dev.cairn.rpc.client;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** An answer body collected into a byte array that fails as soon as it passes {@code bytesMax}. */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
  /** The answer passed the bound; the rest of it is not read. */
  static final class TooLarge extends IOException {
    final long bytesMax;

    TooLarge(long bytesMax) {
      super("answer larger than " + bytesMax + " bytes");
      this.bytesMax = bytesMax;
    }
  }

  private final HttpResponse.BodySubscriber<byte[]> bytes = HttpResponse.BodySubscribers.ofByteArray();
  private final long bytesMax;
  private Flow.Subscription subscription;
  private long seen;
  private boolean failed;

  private BoundedBody(long bytesMax) {
    this.bytesMax = bytesMax;
  }

  static HttpResponse.BodySubscriber<byte[]> of(HttpResponse.ResponseInfo info, long bytesMax) {
    long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
    return declared > bytesMax ? failing(bytesMax) : new BoundedBody(bytesMax);
  }

  /** A declared length over the bound: refused before a byte of the body is read. */
  private static HttpResponse.BodySubscriber<byte[]> failing(long bytesMax) {
    HttpResponse.BodySubscriber<byte[]> discard = HttpResponse.BodySubscribers.ofByteArray();
    return new HttpResponse.BodySubscriber<>() {
      @Override
      public CompletionStage<byte[]> getBody() {
        return discard.getBody();
      }

      @Override
      public void onSubscribe(Flow.Subscription s) {
        s.cancel();
        discard.onError(new TooLarge(bytesMax));
      }

      @Override
      public void onNext(List<ByteBuffer> item) {}

      @Override
      public void onError(Throwable throwable) {}

      @Override
      public void onComplete() {}
    };
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return bytes.getBody();
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    bytes.onSubscribe(s);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (failed) {
      return;
    }
    for (ByteBuffer b : items) {
      seen += b.remaining();
    }
    if (seen > bytesMax) {
      failed = true;
      subscription.cancel();
      bytes.onError(new TooLarge(bytesMax));
      return;
    }
    bytes.onNext(items);
  }

  @Override
  public void onError(Throwable throwable) {
    if (!failed) {
      bytes.onError(throwable);
    }
  }

  @Override
  public void onComplete() {
    if (!failed) {
      bytes.onComplete();
    }
  }
}
