package dev.cairn.ledger.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Hash;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@link Hashing}'s lent per-thread digest gives exactly SHA-256(tag prefix || data), whatever the order of
 * starts and finishes on a thread and across threads: the reference is a fresh JDK digest per hash.
 */
class HashingTest {
  private static Hash reference(DomainTag tag, byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(tag.prefix());
      for (byte[] part : parts) {
        digest.update(part);
      }
      return Hash.wrap(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] random(Random random, int size) {
    byte[] data = new byte[size];
    random.nextBytes(data);
    return data;
  }

  @Test
  void everyTagAndSizeHashesAsAFreshDigestWould() {
    Random random = new Random(20);
    for (DomainTag tag : DomainTag.values()) {
      for (int size = 0; size <= 300; size += 7) {
        byte[] data = random(random, size);
        byte[] second = random(random, size / 2);
        assertThat(Hashing.hash(tag, data)).isEqualTo(reference(tag, data));
        assertThat(Hashing.hash(tag, data, second)).isEqualTo(reference(tag, data, second));
      }
    }
  }

  @Test
  void theTagSeparatesEqualData() {
    byte[] data = {1, 2, 3};
    assertThat(Hashing.hash(DomainTag.TX_ID, data)).isNotEqualTo(Hashing.hash(DomainTag.ADDRESS, data));
  }

  @Test
  void aHashStartedInsideAnotherGetsItsOwnDigest() {
    byte[] outerData = {9, 8, 7};
    byte[] innerData = {1, 2};
    MessageDigest outer = Hashing.start(DomainTag.STATE_NODE);
    outer.update(outerData, 0, 1);
    MessageDigest inner = Hashing.start(DomainTag.STATE_LEAF);
    assertThat(inner).isNotSameAs(outer);
    inner.update(innerData);
    outer.update(outerData, 1, 2);
    Hash innerHash = Hashing.finish(inner);
    // A third start while the outer one is still open: again its own digest.
    assertThat(Hashing.hash(DomainTag.TX_ID, innerData)).isEqualTo(reference(DomainTag.TX_ID, innerData));
    Hash outerHash = Hashing.finish(outer);
    assertThat(innerHash).isEqualTo(reference(DomainTag.STATE_LEAF, innerData));
    assertThat(outerHash).isEqualTo(reference(DomainTag.STATE_NODE, outerData));
  }

  @Test
  void anUnfinishedHashLeavesLaterHashesRight() {
    MessageDigest abandoned = Hashing.start(DomainTag.BLOCK_HEADER);
    abandoned.update(new byte[] {42});
    byte[] data = {5, 6, 7};
    assertThat(Hashing.hash(DomainTag.BLOCK_HEADER, data)).isEqualTo(reference(DomainTag.BLOCK_HEADER, data));
    assertThat(Hashing.finish(abandoned)).isEqualTo(reference(DomainTag.BLOCK_HEADER, new byte[] {42}));
    assertThat(Hashing.hash(DomainTag.BLOCK_HEADER, data)).isEqualTo(reference(DomainTag.BLOCK_HEADER, data));
  }

  @Test
  void aDigestFinishedOnAnotherThreadIsRightAndLeavesBothThreadsRight() throws Exception {
    byte[] data = {3, 1, 4, 1, 5};
    MessageDigest started = Hashing.start(DomainTag.COMMIT_SEAL);
    started.update(data);
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      assertThat(other.submit(() -> Hashing.finish(started)).get()).isEqualTo(reference(DomainTag.COMMIT_SEAL, data));
      assertThat(other.submit(() -> Hashing.hash(DomainTag.TX_ID, data)).get()).isEqualTo(reference(DomainTag.TX_ID, data));
    } finally {
      other.shutdownNow();
    }
    assertThat(Hashing.hash(DomainTag.TX_ID, data)).isEqualTo(reference(DomainTag.TX_ID, data));
  }

  @Test
  void threadsHashingAtOnceEachGetTheirOwnRightAnswers() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        long seed = t;
        runs.add(pool.submit(() -> {
          Random random = new Random(seed);
          DomainTag[] tags = DomainTag.values();
          for (int i = 0; i < 5_000; i++) {
            DomainTag tag = tags[random.nextInt(tags.length)];
            byte[] data = random(random, random.nextInt(200));
            assertThat(Hashing.hash(tag, data)).isEqualTo(reference(tag, data));
          }
          return 5_000;
        }));
      }
      for (Future<Integer> run : runs) {
        assertThat(run.get()).isEqualTo(5_000);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
