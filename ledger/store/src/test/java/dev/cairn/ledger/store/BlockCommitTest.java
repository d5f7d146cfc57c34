package dev.cairn.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Hash;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockCommitTest {
  @Test
  void ascendingOrderIsAPermutationThatSortsHashes() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    List<Hash> hashes = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      byte[] bytes = new byte[Hash.SIZE];
      random.nextBytes(bytes);
      hashes.add(Hash.wrap(bytes));
    }

    int[] order = BlockCommit.ascendingOrder(hashes);

    assertThat(order).as("seed=%d", seed).hasSize(hashes.size());
    assertThat(java.util.Arrays.stream(order).sorted().toArray())
        .as("seed=%d", seed).isEqualTo(java.util.stream.IntStream.range(0, hashes.size()).toArray());
    for (int i = 1; i < order.length; i++) {
      assertThat(hashes.get(order[i - 1])).as("seed=%d", seed).isLessThan(hashes.get(order[i]));
    }
    assertThat(BlockCommit.ascendingOrder(List.of())).isEmpty();
  }
}
