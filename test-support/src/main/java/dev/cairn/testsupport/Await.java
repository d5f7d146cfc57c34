package dev.cairn.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or a timeout passes, for tests that wait on another thread or process. */
public final class Await {
  private static final long POLL_MILLIS = 10;

  private Await() {}

  /** Returns once {@code condition} holds; throws {@link AssertionError} naming {@code what} after {@code timeout}. */
  public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
      }
      Thread.sleep(POLL_MILLIS);
    }
  }
}
