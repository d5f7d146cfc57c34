package dev.cairn.ledger.model;

/**
 * The outcome of checking untrusted input: valid, or invalid with a reason a caller can count, log at DEBUG
 * and return to whoever sent the input. Never a bare boolean.
 */
public sealed interface Validation {
  Validation VALID = new Valid();

  boolean isValid();

  static Validation invalid(String reason, String detail) {
    return new Invalid(reason, detail);
  }

  record Valid() implements Validation {
    @Override
    public boolean isValid() {
      return true;
    }
  }

  /** {@code reason} is a stable snake_case code for metrics; {@code detail} is a one-line explanation. */
  record Invalid(String reason, String detail) implements Validation {
    @Override
    public boolean isValid() {
      return false;
    }

    @Override
    public String toString() {
      return reason + ": " + detail;
    }
  }
}
