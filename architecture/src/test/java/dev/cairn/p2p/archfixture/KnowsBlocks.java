package dev.cairn.p2p.archfixture;

import dev.cairn.ledger.model.Block;

/** Breaks the module rules on purpose (p2p reaching into the ledger model): RulesCatchViolationsTest checks it. */
public final class KnowsBlocks {
  private KnowsBlocks() {}

  public static int transactions(Block block) {
    return block.transactions().size();
  }
}
