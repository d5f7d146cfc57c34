package dev.cairn.rpc.jsonrpc;

import dev.cairn.rpc.RpcConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The node-wide bound on large answers, HTTP and WebSocket together. An answer whose JSON grows past {@link
 * RpcConfig.AnswerLimits#largeAnswerBytes} takes a permit before its bytes are made and gives it back once it
 * has been written to the socket (or the write failed or timed out), so at most {@code largeAnswersMax} answers
 * of up to {@code responseBytesMax} are held at once, whatever the number of connections. No client address
 * holds more than {@code largeAnswersPerClientMax} of them. A large answer that finds none it may take within
 * the wait is replaced by {@link ErrorCode#SERVER_BUSY}. Small answers never come here.
 */
public final class LargeAnswerPermits {
  private final RpcConfig.AnswerLimits limits;
  private final ReentrantLock lock = new ReentrantLock(true); // fair: a waiter is not overtaken by later ones
  private final Condition released = lock.newCondition();
  /** Permits held by each client address; an address holding none has no entry, so at most largeAnswersMax entries. */
  private final Map<String, Integer> heldByClient = new HashMap<>();
  private final AtomicLong refused = new AtomicLong();
  private int held;

  public LargeAnswerPermits(RpcConfig.AnswerLimits limits) {
    this.limits = limits;
  }

  /** What {@link #acquire} gives: a permit, or why there was none. */
  public sealed interface Grant permits Permit, Refused {}

  /** No permit within the wait; {@code detail} says which bound was met and what to do. */
  public record Refused(String detail) implements Grant {}

  /** One large answer's permit; released at most once, however many paths try. */
  public final class Permit implements Grant, AutoCloseable {
    private final String client;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Permit(String client) {
      this.client = client;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        release(client);
      }
    }
  }

  /**
   * A permit for an answer to {@code client} (its address), waiting up to {@link
   * RpcConfig.AnswerLimits#largeAnswerWaitMillis} for one that the node-wide and the per-client bounds both allow.
   */
  public Grant acquire(String client) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limits.largeAnswerWaitMillis());
    lock.lock();
    try {
      while (held >= limits.largeAnswersMax() || heldBy(client) >= limits.largeAnswersPerClientMax()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          refused.incrementAndGet();
          return new Refused(busyDetail(heldBy(client) >= limits.largeAnswersPerClientMax()));
        }
        released.awaitNanos(left);
      }
      held++;
      heldByClient.merge(client, 1, Integer::sum);
      return new Permit(client);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      refused.incrementAndGet();
      return new Refused(busyDetail(false));
    } finally {
      lock.unlock();
    }
  }

  private void release(String client) {
    lock.lock();
    try {
      held--;
      heldByClient.computeIfPresent(client, (c, n) -> n == 1 ? null : n - 1);
      released.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private int heldBy(String client) {
    return heldByClient.getOrDefault(client, 0);
  }

  private String busyDetail(boolean clientBound) {
    String bound = clientBound
        ? "this address already holds " + limits.largeAnswersPerClientMax() + " (rpc.large-answers-per-client-max)"
        : limits.largeAnswersMax() + " are being written on this node (rpc.large-answers-max)";
    return "the answer is over " + limits.largeAnswerBytes() + " bytes (rpc.large-answer-bytes) and " + bound
        + "; none came free within " + limits.largeAnswerWaitMillis() + " ms. Read the answers already sent, then"
        + " retry after a short pause, or ask for less";
  }

  /** Permits free right now, node-wide (for tests and metrics). */
  public int available() {
    lock.lock();
    try {
      return limits.largeAnswersMax() - held;
    } finally {
      lock.unlock();
    }
  }

  /** Large answers refused for want of a permit (for tests and metrics). */
  public long refused() {
    return refused.get();
  }
}
