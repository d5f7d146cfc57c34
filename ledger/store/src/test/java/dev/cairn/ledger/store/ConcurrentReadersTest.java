package dev.cairn.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.execution.ExecutedBlock;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.store.fixtures.ChainFixture;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer commits while readers follow the head: a reader never sees part of a block. */
class ConcurrentReadersTest {
  private static final int BLOCKS = 40;
  private static final int READERS = 3;

  @TempDir Path dir;

  @Test
  void readersFollowingTheHeadAlwaysFindTheWholeBlock() throws Exception {
    ChainFixture fixture = ChainFixture.create(4, 6, 11);
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong reads = new AtomicLong();
    try (ChainStore store = ChainStore.open(dir, StoreConfig.small())) {
      Thread[] readers = new Thread[READERS];
      for (int i = 0; i < READERS; i++) {
        readers[i] = new Thread(() -> {
          while (writing.get()) {
            try {
              String problem = readHead(store);
              if (problem != null) {
                problems.add(problem);
              }
              reads.incrementAndGet();
            } catch (RuntimeException e) {
              problems.add(e.toString());
            }
          }
        }, "reader-" + i);
        readers[i].start();
      }
      ExecutedBlock genesis = fixture.genesis();
      store.commit(genesis, fixture.certify(genesis));
      for (int i = 0; i < BLOCKS; i++) {
        ExecutedBlock next = fixture.next(1 + i % 7);
        store.commit(next, fixture.certify(next));
      }
      writing.set(false);
      for (Thread reader : readers) {
        reader.join();
      }
      assertThat(store.head().orElseThrow().height()).isEqualTo(BLOCKS);
    }
    assertThat(problems).isEmpty();
    assertThat(reads.get()).isPositive();
  }

  /** Reads everything of the current head block; returns what was missing or inconsistent, or null. */
  private static String readHead(ChainStore store) {
    Optional<ChainHead> head = store.head();
    if (head.isEmpty()) {
      return null;
    }
    long height = head.get().height();
    Optional<FinalizedBlock> block = store.finalizedBlock(height);
    if (block.isEmpty() || !block.get().block().hash().equals(head.get().hash())) {
      return "head " + height + " has no matching finalized block";
    }
    List<Receipt> receipts = store.receipts(head.get().hash()).orElse(null);
    List<Transaction> txs = block.get().block().transactions();
    if (receipts == null || receipts.size() != txs.size()) {
      return "head " + height + " receipts missing";
    }
    for (Transaction tx : txs) {
      if (store.transaction(tx.id()).isEmpty()) {
        return "head " + height + " tx " + tx.id().shortHex() + " not indexed";
      }
    }
    if (store.validatorsAt(height + 1).isEmpty()) {
      return "no validator set for height " + (height + 1);
    }
    return null;
  }
}
