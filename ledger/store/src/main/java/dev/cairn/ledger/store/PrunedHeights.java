package dev.cairn.ledger.store;

/**
 * How far pruning has gone, persisted in the metadata family in the same batch as each pruning delete.
 *
 * @param bodiesFrom the lowest height above genesis whose body, receipts and tx-index entries are kept
 *     (1: nothing pruned); heights 1 .. bodiesFrom-1 have only header, certificate and height index
 * @param stateFrom the lowest height whose state tree is complete (0: nothing pruned)
 */
record PrunedHeights(long bodiesFrom, long stateFrom) {
  static final PrunedHeights NONE = new PrunedHeights(1, 0);

  PrunedHeights {
    if (bodiesFrom < 1 || stateFrom < 0) {
      throw new IllegalArgumentException("bodiesFrom >= 1 and stateFrom >= 0 required");
    }
  }
}
