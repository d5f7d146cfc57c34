package dev.cairn.rpc.jsonrpc;

import java.util.function.LongSupplier;

/**
 * A token bucket: holds up to {@code capacity} tokens, refills {@code tokensPerSecond}, and a call costs one
 * token. Time comes from an injected nanosecond clock so tests need not sleep. The rate may be below one
 * per second (the login bucket refills a few tokens per minute).
 */
public final class TokenBucket {
  private static final double NANOS_PER_SECOND = 1_000_000_000.0;

  private final double capacity;
  private final double tokensPerNano;
  private final LongSupplier nanoClock;
  private double tokens;
  private long refilledAtNanos;

  public TokenBucket(double tokensPerSecond, int capacity, LongSupplier nanoClock) {
    if (tokensPerSecond <= 0 || capacity <= 0) {
      throw new IllegalArgumentException("rate and capacity must be positive");
    }
    this.capacity = capacity;
    this.tokensPerNano = tokensPerSecond / NANOS_PER_SECOND;
    this.nanoClock = nanoClock;
    this.tokens = capacity;
    this.refilledAtNanos = nanoClock.getAsLong();
  }

  /** Takes {@code cost} tokens if all are there; takes none otherwise. */
  public synchronized boolean tryTake(int cost) {
    refill();
    if (tokens < cost) {
      return false;
    }
    tokens -= cost;
    return true;
  }

  /** True once the bucket has refilled completely: its client has been idle and it can be forgotten. */
  public synchronized boolean isFull() {
    refill();
    return tokens >= capacity;
  }

  private void refill() {
    long now = nanoClock.getAsLong();
    long elapsed = now - refilledAtNanos;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed * tokensPerNano);
      refilledAtNanos = now;
    }
  }
}
