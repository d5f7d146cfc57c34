package dev.cairn.mempool;

import dev.cairn.ledger.bytes.Hash;

/** The mempool's answer to a submitted transaction. */
public sealed interface Admission {
  record Accepted(Hash txId) implements Admission {}

  record Rejected(Reason reason, String detail) implements Admission {}

  /** Why a transaction was refused; each maps to one JSON-RPC application error code. */
  enum Reason {
    MALFORMED,
    WRONG_CHAIN_ID,
    BAD_SIGNATURE,
    NOT_A_MEMBER,
    NONCE_TOO_LOW,
    NONCE_GAP_TOO_LARGE,
    NONCE_ALREADY_PENDING,
    DUPLICATE,
    INSUFFICIENT_BALANCE,
    MEMPOOL_FULL,
    SENDER_LIMIT
  }
}
