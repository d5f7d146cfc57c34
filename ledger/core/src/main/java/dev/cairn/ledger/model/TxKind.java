package dev.cairn.ledger.model;

/** The kind tag of a transaction's payload, as written in the canonical encoding. */
public enum TxKind {
  TRANSFER(1),
  RECORD_PUT(2),
  ROLE_GRANT(3),
  ROLE_REVOKE(4),
  VALIDATOR_VOTE(5);

  private final int code;

  TxKind(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
