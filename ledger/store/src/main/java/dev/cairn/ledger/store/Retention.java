package dev.cairn.ledger.store;

/**
 * How much history the store keeps ({@code [storage] retain-blocks} and {@code retain-state}), in heights
 * below and including the head; 0 keeps everything (the default). Pruning never touches headers, certificates,
 * the height index or validator sets, so the chain stays verifiable from genesis; genesis is never pruned.
 *
 * @param retainBlocks block bodies, receipts and transaction-index entries of the last this many heights are
 *     kept; older ones are deleted
 * @param retainState the state of the last this many heights stays provable (the head's state is always
 *     kept); tree nodes that only older roots reach are deleted
 * @param pruneBatchEntriesMax most keys one pruning batch deletes: a batch holds the commit lock, so this
 *     bounds how long a commit can wait for pruning
 */
public record Retention(long retainBlocks, long retainState, int pruneBatchEntriesMax) {
  public static final int PRUNE_BATCH_ENTRIES_DEFAULT = 10_000;
  public static final Retention KEEP_ALL = new Retention(0, 0, PRUNE_BATCH_ENTRIES_DEFAULT);

  public Retention {
    if (retainBlocks < 0 || retainState < 0) {
      throw new IllegalArgumentException("retain-blocks and retain-state must be 0 (keep all) or a number of heights");
    }
    if (pruneBatchEntriesMax < 1 || pruneBatchEntriesMax > 1_000_000) {
      throw new IllegalArgumentException("pruneBatchEntriesMax must be 1..1,000,000");
    }
  }

  public Retention(long retainBlocks, long retainState) {
    this(retainBlocks, retainState, PRUNE_BATCH_ENTRIES_DEFAULT);
  }

  public boolean prunesBlocks() {
    return retainBlocks > 0;
  }

  public boolean prunesState() {
    return retainState > 0;
  }

  public boolean prunes() {
    return prunesBlocks() || prunesState();
  }
}
