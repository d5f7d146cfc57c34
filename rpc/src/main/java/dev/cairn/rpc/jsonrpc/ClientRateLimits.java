package dev.cairn.rpc.jsonrpc;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per client IP, with a bound on how many IPs are tracked. When the bound is reached the
 * buckets of idle clients (full again) are dropped, in one sweep at most every {@link #SWEEP_INTERVAL_NANOS}
 * (a sweep walks the whole table); while every tracked client is still active, a new client shares one
 * overflow bucket rather than growing the map, so a flood of source addresses cannot exhaust memory or CPU.
 */
public final class ClientRateLimits {
  private final double tokensPerSecond;
  private final int burst;
  private final int clientsTrackedMax;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final TokenBucket overflow;
  static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;
  private final java.util.concurrent.atomic.AtomicLong lastSweepNanos;

  public ClientRateLimits(double tokensPerSecond, int burst, int clientsTrackedMax, LongSupplier nanoClock) {
    this.tokensPerSecond = tokensPerSecond;
    this.burst = burst;
    this.clientsTrackedMax = clientsTrackedMax;
    this.nanoClock = nanoClock;
    this.overflow = new TokenBucket(tokensPerSecond, burst, nanoClock);
    this.lastSweepNanos = new java.util.concurrent.atomic.AtomicLong(nanoClock.getAsLong() - SWEEP_INTERVAL_NANOS);
  }

  public TokenBucket bucketFor(String clientIp) {
    TokenBucket bucket = buckets.get(clientIp);
    if (bucket != null) {
      return bucket;
    }
    if (buckets.size() >= clientsTrackedMax) {
      long now = nanoClock.getAsLong();
      long last = lastSweepNanos.get();
      if (now - last >= SWEEP_INTERVAL_NANOS && lastSweepNanos.compareAndSet(last, now)) {
        buckets.values().removeIf(TokenBucket::isFull);
      }
      if (buckets.size() >= clientsTrackedMax) {
        return overflow;
      }
    }
    return buckets.computeIfAbsent(clientIp, ip -> new TokenBucket(tokensPerSecond, burst, nanoClock));
  }

  public int trackedClients() {
    return buckets.size();
  }
}
