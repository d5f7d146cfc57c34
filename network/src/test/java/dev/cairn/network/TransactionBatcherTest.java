package dev.cairn.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Bytes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Flush by count, by bytes and by linger, on a scripted clock: linger timers fire only when the test says,
 * publishing runs inline (or is held, to fill the queue).
 */
class TransactionBatcherTest {
  private final List<List<Bytes>> published = new ArrayList<>();
  private final List<Runnable> timers = new ArrayList<>();
  private final List<Runnable> held = new ArrayList<>();

  private TransactionBatcher batcher(int txsMax, int bytesMax, int queuedMax, boolean holdPublishing) {
    TxBatching config = new TxBatching(txsMax, bytesMax, 10, queuedMax);
    return new TransactionBatcher(config, holdPublishing ? held::add : Runnable::run, (task, delay) -> timers.add(task),
        bytes -> published.add(((TransactionBatchCodec.Decoding.Decoded) TransactionBatchCodec.decode(bytes)).transactions()));
  }

  private static Bytes tx(int n, int size) {
    byte[] b = new byte[size];
    b[0] = (byte) n;
    return Bytes.wrap(b);
  }

  @Test
  void flushesAtTxsPerBatchMaxWithoutWaitingForTheLinger() {
    TransactionBatcher b = batcher(3, 512 * 1024, 8, false);
    for (int i = 0; i < 7; i++) {
      b.offer(tx(i, 100));
    }
    assertThat(published).hasSize(2);
    assertThat(published.get(0)).containsExactly(tx(0, 100), tx(1, 100), tx(2, 100));
    assertThat(published.get(1)).containsExactly(tx(3, 100), tx(4, 100), tx(5, 100));
    // Timers of flushed batches do nothing; the one of the open batch publishes the last tx.
    timers.forEach(Runnable::run);
    assertThat(published).hasSize(3);
    assertThat(published.get(2)).containsExactly(tx(6, 100));
    assertThat(b.batchesPublished()).isEqualTo(3);
  }

  @Test
  void flushesBeforeATransactionWouldPassBatchBytesMax() {
    int oneLargest = (int) TransactionBatchCodec.encodedBytes(1, dev.cairn.ledger.model.Limits.TX_BYTES_MAX);
    int bytesMax = oneLargest + 1_500; // room for the largest transaction or two small ones, not both
    TransactionBatcher b = batcher(1_000, bytesMax, 8, false);
    b.offer(tx(0, 1_000));
    b.offer(tx(1, 1_000));
    assertThat(published).isEmpty();
    b.offer(tx(2, dev.cairn.ledger.model.Limits.TX_BYTES_MAX)); // would pass bytesMax: the two go first
    assertThat(published).singleElement().satisfies(batch -> assertThat(batch).containsExactly(tx(0, 1_000), tx(1, 1_000)));
    timers.forEach(Runnable::run);
    assertThat(published).hasSize(2);
    assertThat(published.get(1)).containsExactly(tx(2, dev.cairn.ledger.model.Limits.TX_BYTES_MAX));
    for (List<Bytes> batch : published) {
      long txBytes = batch.stream().mapToLong(Bytes::size).sum();
      assertThat(TransactionBatchCodec.encodedBytes(batch.size(), txBytes)).isLessThanOrEqualTo(bytesMax);
    }
  }

  @Test
  void aLoneTransactionIsPublishedWhenItsLingerExpires() {
    TransactionBatcher b = batcher(1_000, 512 * 1024, 8, false);
    b.offer(tx(0, 50));
    b.offer(tx(1, 50));
    assertThat(published).isEmpty();
    assertThat(timers).as("one timer per batch, set by its first transaction").hasSize(1);
    timers.get(0).run();
    assertThat(published).singleElement().satisfies(batch -> assertThat(batch).hasSize(2));
    b.offer(tx(2, 50));
    assertThat(timers).hasSize(2);
    timers.get(1).run();
    assertThat(published).hasSize(2);
  }

  @Test
  void batchesBeyondTheQueueAreDroppedAndCounted() {
    TransactionBatcher b = batcher(1, 512 * 1024, 2, true);
    for (int i = 0; i < 5; i++) {
      b.offer(tx(i, 10));
    }
    assertThat(held).hasSize(2);
    assertThat(b.batchesDropped()).isEqualTo(3);
    held.forEach(Runnable::run);
    assertThat(published).hasSize(2);
    b.offer(tx(9, 10));
    assertThat(held).hasSize(3);
  }

  @Test
  void aTransactionLargerThanABatchIsRefused() {
    int bytesMax = (int) TransactionBatchCodec.encodedBytes(1, dev.cairn.ledger.model.Limits.TX_BYTES_MAX);
    TransactionBatcher b = batcher(10, bytesMax, 2, false);
    assertThat(b.offer(tx(0, dev.cairn.ledger.model.Limits.TX_BYTES_MAX + 1))).isEqualTo(TransactionBatcher.Offer.TOO_LARGE);
    assertThat(b.offer(tx(0, dev.cairn.ledger.model.Limits.TX_BYTES_MAX))).isEqualTo(TransactionBatcher.Offer.QUEUED);
  }
}
