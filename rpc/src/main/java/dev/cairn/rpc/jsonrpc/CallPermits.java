package dev.cairn.rpc.jsonrpc;

import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node-wide bound on JSON-RPC bodies in flight, HTTP and WebSocket together. A body takes a permit before
 * it is read or parsed and gives it back once its answer has been written to the socket (or failed), so the
 * JSON held for calls never exceeds {@code permits x (request + response bound)} whatever the number of
 * connections or threads. A body that finds none free within the wait is refused with {@link
 * ErrorCode#SERVER_BUSY}. No method blocks for long (none long-polls), so a permit is held for the time to
 * run one call and write its answer.
 */
public final class CallPermits {
  private final Semaphore permits;
  private final int permitsMax;
  private final long waitMillis;
  private final AtomicLong refused = new AtomicLong();

  public CallPermits(int permitsMax, long waitMillis) {
    if (permitsMax <= 0 || waitMillis < 0) {
      throw new IllegalArgumentException("permitsMax must be > 0 and waitMillis >= 0, got " + permitsMax + ", " + waitMillis);
    }
    this.permits = new Semaphore(permitsMax, true); // fair: a waiting body is not overtaken by later ones
    this.permitsMax = permitsMax;
    this.waitMillis = waitMillis;
  }

  /** One body's permit; released at most once, however many paths try. */
  public final class Permit implements AutoCloseable {
    private final AtomicBoolean released = new AtomicBoolean();

    private Permit() {}

    @Override
    public void close() {
      if (released.compareAndSet(false, true)) {
        permits.release();
      }
    }
  }

  /** A permit, waiting up to the configured time; empty (and counted) when none came free. */
  public Optional<Permit> acquire() {
    try {
      if (permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
        return Optional.of(new Permit());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    refused.incrementAndGet();
    return Optional.empty();
  }

  /** The error a refused body gets: what happened and what to do. */
  public String busyDetail() {
    return permitsMax + " calls in flight on this node (rpc.calls-in-flight-max), none finished within " + waitMillis
        + " ms; retry after a short pause, or read the answers already sent";
  }

  /** Permits free right now (for tests and metrics). */
  public int available() {
    return permits.availablePermits();
  }

  /** Bodies refused for want of a permit (for tests and metrics). */
  public long refused() {
    return refused.get();
  }
}
