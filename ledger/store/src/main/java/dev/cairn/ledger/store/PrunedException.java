package dev.cairn.ledger.store;

/**
 * A read of something the store deleted by its retention settings (docs/storage.md, "Pruning"): block bodies,
 * receipts and transactions below {@link #retainedFrom} for {@link What#BLOCK}, the state at heights below it
 * for {@link What#STATE}. An answer, not corruption: the caller tells its client where to ask instead.
 */
public final class PrunedException extends RuntimeException {
  public enum What {
    BLOCK,
    STATE
  }

  private final What what;
  private final long height;
  private final long retainedFrom;

  public PrunedException(What what, long height, long retainedFrom) {
    super((what == What.BLOCK ? "the block body and receipts of height " + height + " were pruned"
        : "the state of height " + height + " was pruned") + ": this node keeps them from height " + retainedFrom,
        null, false, false);
    this.what = what;
    this.height = height;
    this.retainedFrom = retainedFrom;
  }

  public What what() {
    return what;
  }

  public long height() {
    return height;
  }

  public long retainedFrom() {
    return retainedFrom;
  }
}
