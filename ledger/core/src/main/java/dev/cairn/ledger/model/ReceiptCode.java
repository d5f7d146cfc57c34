package dev.cairn.ledger.model;

/**
 * The outcome of one included transaction. A failed transaction still consumes its nonce. Codes are stable:
 * they appear in receipts, hashes and JSON-RPC answers, so a code is never renumbered or reused.
 */
public enum ReceiptCode {
  OK(0, "executed"),
  NOT_A_MEMBER(1, "sender does not hold the member role"),
  INSUFFICIENT_BALANCE(2, "sender balance is below the transfer amount"),
  BALANCE_OVERFLOW(3, "recipient balance would overflow"),
  NOT_AN_ADMIN(4, "sender does not hold the admin role"),
  NOT_A_VALIDATOR(5, "sender is not a validator at this height"),
  ROLE_ALREADY_HELD(6, "account already holds the role"),
  ROLE_NOT_HELD(7, "account does not hold the role"),
  VALIDATOR_ALREADY_PRESENT(8, "the validator is already in the set"),
  VALIDATOR_NOT_PRESENT(9, "the validator is not in the set"),
  VOTE_ALREADY_CAST(10, "sender already voted for this change"),
  LAST_VALIDATOR(11, "the last validator cannot be removed"),
  VALIDATOR_SET_FULL(12, "the validator set already has the maximum number of validators");

  private final int code;
  private final String description;

  ReceiptCode(int code, String description) {
    this.code = code;
    this.description = description;
  }

  public int code() {
    return code;
  }

  public String description() {
    return description;
  }

  public boolean isSuccess() {
    return this == OK;
  }

  public static ReceiptCode fromCode(int code) {
    for (ReceiptCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown receipt code " + code);
  }
}
