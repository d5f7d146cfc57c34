package dev.cairn.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: the message cache was bounded only by time (mcacheLength heartbeats), so a burst of large
 * messages within a few heartbeats held them all. It is bounded in bytes too: the oldest go first.
 */
class MessageCacheTest {
  private static PubsubMessage message(int size, int tag) {
    byte[] data = new byte[size];
    data[0] = (byte) tag;
    data[1] = (byte) (tag >>> 8);
    return PubsubMessage.unsigned("t", ByteString.copyFrom(data));
  }

  private static MessageId id(int tag) {
    return new MessageId(ByteString.copyFrom(new byte[] {(byte) tag, (byte) (tag >>> 8)}));
  }

  @Test
  void aBurstOfLargeMessagesWithinOneWindowKeepsTheCacheWithinItsBytesEvictingTheOldest() {
    MessageCache cache = new MessageCache(5, 3, 10_000);
    for (int i = 0; i < 100; i++) {
      cache.put(id(i), message(1_000, i));
    }
    assertThat(cache.bytes()).isLessThanOrEqualTo(10_000);
    assertThat(cache.contains(id(99))).isTrue();
    assertThat(cache.contains(id(0))).isFalse();
    assertThat(cache.gossipIds("t")).hasSize(cache.size()).doesNotContain(id(0));
    cache.shift();
    cache.put(id(100), message(5_000, 100));
    assertThat(cache.bytes()).isLessThanOrEqualTo(10_000);
    assertThat(cache.contains(id(100))).isTrue();
  }

  @Test
  void shiftingForgetsOldWindowsAndTheirBytes() {
    MessageCache cache = new MessageCache(2, 1, 1_000_000);
    cache.put(id(1), message(1_000, 1));
    cache.shift();
    cache.shift();
    assertThat(cache.size()).isZero();
    assertThat(cache.bytes()).isZero();
  }
}
