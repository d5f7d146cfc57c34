package dev.cairn.ledger.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.ledger.bytes.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class Ed25519BatchTest {
  @Test
  void listsOfDifferentSizesAreACallersBug() {
    KeyPair key = KeyPair.fromSeedText("sizes");
    byte[] message = "m".getBytes(StandardCharsets.UTF_8);
    List<byte[]> twoMessages = List.of(message, message);
    assertThatThrownBy(() -> Signatures.verifyAll(List.of(key.publicKey()), twoMessages, List.of(key.sign(message))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEmptyBatchHasNoVerdicts() {
    assertThat(Signatures.verifyAll(List.of(), List.of(), List.of())).isEmpty();
  }

  /** Every size from the single-verify range through the batch threshold, one invalid item each. */
  @Test
  void smallBatchesOnBothSidesOfTheThresholdFlagTheBadItem() {
    for (int size = 1; size <= Ed25519Batch.BATCH_ITEMS_MIN + 2; size++) {
      Items items = Items.signed("threshold-" + size, size, 1);
      byte[] bad = items.signatures.get(size - 1).bytes().toArray();
      bad[33] ^= 4;
      items.signatures.set(size - 1, new Signature(Bytes.wrap(bad)));
      boolean[] verdicts = Signatures.verifyAll(items.keys, items.messages, items.signatures);
      for (int i = 0; i < size; i++) {
        assertThat(verdicts[i]).as("size %d item %d", size, i).isEqualTo(i != size - 1);
      }
    }
  }

  /** The key cache and weight counter are shared: concurrent batches must not disturb each other. */
  @Test
  void concurrentBatchesAllPass() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<boolean[]>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        Items items = Items.signed("concurrent-" + (t % 2), 40, 2);
        results.add(pool.submit(() -> Signatures.verifyAll(items.keys, items.messages, items.signatures)));
      }
      for (Future<boolean[]> result : results) {
        for (boolean verdict : result.get()) {
          assertThat(verdict).isTrue();
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private record Items(List<PublicKey> keys, List<byte[]> messages, List<Signature> signatures) {
    static Items signed(String label, int size, int signaturesPerKey) {
      Items items = new Items(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
      KeyPair key = null;
      for (int i = 0; i < size; i++) {
        if (i % signaturesPerKey == 0) {
          key = KeyPair.fromSeedText(label + "-" + i);
        }
        byte[] message = (label + " message " + i).getBytes(StandardCharsets.UTF_8);
        items.keys.add(key.publicKey());
        items.messages.add(message);
        items.signatures.add(key.sign(message));
      }
      return items;
    }
  }
}
