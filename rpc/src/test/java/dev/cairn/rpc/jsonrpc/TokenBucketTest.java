package dev.cairn.rpc.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private final AtomicLong nanos = new AtomicLong();

  @Test
  void burstThenRefillAtTheRate() {
    TokenBucket bucket = new TokenBucket(10, 5, nanos::get);
    for (int i = 0; i < 5; i++) {
      assertThat(bucket.tryTake(1)).isTrue();
    }
    assertThat(bucket.tryTake(1)).isFalse();
    nanos.addAndGet(100_000_000); // 0.1 s at 10/s: one token
    assertThat(bucket.tryTake(1)).isTrue();
    assertThat(bucket.tryTake(1)).isFalse();
    nanos.addAndGet(10_000_000_000L);
    assertThat(bucket.isFull()).isTrue();
    assertThat(bucket.tryTake(6)).as("never more than capacity").isFalse();
    assertThat(bucket.tryTake(5)).isTrue();
  }

  @Test
  void aRefusedTakeConsumesNothing() {
    TokenBucket bucket = new TokenBucket(1, 4, nanos::get);
    assertThat(bucket.tryTake(3)).isTrue();
    assertThat(bucket.tryTake(2)).isFalse();
    assertThat(bucket.tryTake(1)).isTrue();
  }

  @Test
  void trackedClientsAreBoundedAndIdleOnesAreDropped() {
    ClientRateLimits limits = new ClientRateLimits(10, 5, 3, nanos::get);
    for (int i = 0; i < 3; i++) {
      limits.bucketFor("10.0.0." + i).tryTake(5);
    }
    TokenBucket overflow = limits.bucketFor("10.0.0.99");
    assertThat(limits.trackedClients()).isEqualTo(3);
    assertThat(limits.bucketFor("10.0.0.98")).as("busy table: newcomers share one bucket").isSameAs(overflow);
    nanos.addAndGet(1_000_000_000L);
    limits.bucketFor("10.0.0.50");
    assertThat(limits.trackedClients()).as("idle buckets dropped, newcomer tracked").isEqualTo(1);
  }
}
