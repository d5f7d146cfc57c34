package dev.cairn.tools.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainAuditTest {
  private static BitSet bits(int... set) {
    BitSet b = new BitSet();
    for (int i : set) {
      b.set(i);
    }
    return b;
  }

  @Test
  void aChainHoldingEveryFinalTxWithTheSameHashesIsClean() {
    ChainAudit.Chain reference = new ChainAudit.Chain(List.of("0xa", "0xb"), bits(0, 1, 2), 3);
    ChainAudit.NodeResult r = ChainAudit.compare("node-3", new ChainAudit.Chain(List.of("0xa", "0xb"), bits(0, 1, 2), 3),
        reference, bits(0, 2));
    assertTrue(r.clean());
  }

  @Test
  void missingFinalTxsAndForeignBlocksAreCounted() {
    ChainAudit.Chain reference = new ChainAudit.Chain(List.of("0xa", "0xb", "0xc"), bits(0, 1, 2, 3), 4);
    ChainAudit.NodeResult r = ChainAudit.compare("node-4", new ChainAudit.Chain(List.of("0xa", "0xx", "0xc"), bits(0, 3), 2),
        reference, bits(0, 1, 2, 3));
    assertEquals(2, r.missingFinal());
    assertEquals(1, r.hashMismatches());
    assertFalse(r.clean());
  }
}
