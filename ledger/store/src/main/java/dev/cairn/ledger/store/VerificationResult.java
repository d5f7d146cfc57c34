package dev.cairn.ledger.store;

/** What {@link ChainVerifier} found: the chain is consistent, or the first problem with its height. */
public sealed interface VerificationResult {
  boolean passed();

  /** Every height from genesis to head checked; {@code blocks} is 0 for an empty store. */
  record Passed(long blocks, long transactions) implements VerificationResult {
    @Override
    public boolean passed() {
      return true;
    }
  }

  /**
   * The first problem: {@code height} where it was found (-1 when it is not tied to a height, e.g. a
   * missing head pointer), {@code reason} a stable snake_case code, {@code detail} one line for the operator.
   */
  record Failed(long height, String reason, String detail) implements VerificationResult {
    @Override
    public boolean passed() {
      return false;
    }

    @Override
    public String toString() {
      return "height " + height + ": " + reason + ": " + detail;
    }
  }
}
