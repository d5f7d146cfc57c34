package dev.cairn.rpc.jsonrpc;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per client IP, with a bound on how many IPs are tracked. When the bound is reached the
 * buckets of idle clients (full again) are dropped; if every tracked client is still active, a new client
 * shares one overflow bucket rather than growing the map, so a flood of source addresses cannot exhaust
 * memory.
 */
public final class ClientRateLimits {
  private final int tokensPerSecond;
  private final int burst;
  private final int clientsTrackedMax;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final TokenBucket overflow;

  public ClientRateLimits(int tokensPerSecond, int burst, int clientsTrackedMax, LongSupplier nanoClock) {
    this.tokensPerSecond = tokensPerSecond;
    this.burst = burst;
    this.clientsTrackedMax = clientsTrackedMax;
    this.nanoClock = nanoClock;
    this.overflow = new TokenBucket(tokensPerSecond, burst, nanoClock);
  }

  public TokenBucket bucketFor(String clientIp) {
    TokenBucket bucket = buckets.get(clientIp);
    if (bucket != null) {
      return bucket;
    }
    if (buckets.size() >= clientsTrackedMax) {
      buckets.values().removeIf(TokenBucket::isFull);
      if (buckets.size() >= clientsTrackedMax) {
        return overflow;
      }
    }
    return buckets.computeIfAbsent(clientIp, ip -> new TokenBucket(tokensPerSecond, burst, nanoClock));
  }

  /** A fresh bucket with the same rate, for one WebSocket connection. */
  public TokenBucket newConnectionBucket() {
    return new TokenBucket(tokensPerSecond, burst, nanoClock);
  }

  public int trackedClients() {
    return buckets.size();
  }
}
