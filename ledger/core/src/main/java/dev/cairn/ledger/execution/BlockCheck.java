package dev.cairn.ledger.execution;

import dev.cairn.ledger.model.Validation;
import java.util.Objects;

/** The outcome of validating a proposed or synced block against its parent. */
public sealed interface BlockCheck {
  boolean isValid();

  /** The same outcome as the generic {@link Validation} that consensus consumes. */
  default Validation toValidation() {
    return this instanceof Invalid invalid ? Validation.invalid(invalid.reason(), invalid.detail()) : Validation.VALID;
  }

  /** The block is valid; {@code executed} holds everything needed to commit it once it is final. */
  record Valid(ExecutedBlock executed) implements BlockCheck {
    public Valid {
      Objects.requireNonNull(executed, "executed");
    }

    @Override
    public boolean isValid() {
      return true;
    }
  }

  /** {@code reason} is one of {@link Reason}'s stable snake_case codes; {@code detail} a one-line explanation. */
  record Invalid(String reason, String detail) implements BlockCheck {
    public Invalid {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }

    static Invalid of(Reason reason, String detail) {
      return new Invalid(reason.code(), detail);
    }

    @Override
    public boolean isValid() {
      return false;
    }

    @Override
    public String toString() {
      return reason + ": " + detail;
    }
  }

  /** Every reason a block can be invalid. Codes are stable: they appear in metrics and logs. */
  enum Reason {
    WRONG_HEIGHT("wrong_height"),
    WRONG_PARENT("wrong_parent"),
    TIMESTAMP_BEFORE_PARENT("timestamp_before_parent"),
    PROPOSER_NOT_VALIDATOR("proposer_not_validator"),
    WRONG_VALIDATOR_SET("wrong_validator_set"),
    TOO_MANY_TRANSACTIONS("too_many_transactions"),
    BLOCK_TOO_LARGE("block_too_large"),
    WRONG_CHAIN_ID("wrong_chain_id"),
    DUPLICATE_TRANSACTION("duplicate_transaction"),
    WRONG_TX_ROOT("wrong_tx_root"),
    BAD_SIGNATURE("bad_signature"),
    WRONG_NONCE("wrong_nonce"),
    NONCE_EXHAUSTED("nonce_exhausted"),
    WRONG_RECEIPTS_ROOT("wrong_receipts_root"),
    WRONG_STATE_ROOT("wrong_state_root");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }
}
