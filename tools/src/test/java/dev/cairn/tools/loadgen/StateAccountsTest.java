package dev.cairn.tools.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StateAccountsTest {
  @Test
  void addressesAreDeterministicAndDistinct() {
    assertEquals(StateAccounts.address(7), StateAccounts.address(7));
    Set<Object> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertTrue(seen.add(StateAccounts.address(i)));
    }
  }

  @Test
  void recipientsSpreadOverTheWholeRange() {
    StateAccounts state = new StateAccounts(1_000_000, 0x5eed);
    int[] tenths = new int[10];
    for (int t = 0; t < 100_000; t++) {
      int r = state.recipientIndex(t);
      assertTrue(r >= 0 && r < 1_000_000);
      tenths[r / 100_000]++;
    }
    for (int count : tenths) {
      assertTrue(count > 9_000 && count < 11_000, "each tenth of the range gets about 10,000 of 100,000: " + count);
    }
    assertEquals(state.recipientIndex(42), new StateAccounts(1_000_000, 0x5eed).recipientIndex(42));
    assertNotEquals(state.recipientIndex(42), new StateAccounts(1_000_000, 1).recipientIndex(42));
  }
}
