package dev.cairn.rpc.jsonrpc;

import dev.cairn.rpc.TransactionSubmitter.RejectionReason;

/**
 * Every JSON-RPC error code Cairn answers with. The -327xx/-326xx codes are the JSON-RPC 2.0 spec's own;
 * application codes live in -32000..-32099 (the spec's range for implementation-defined server errors) and
 * are stable: documented in docs/json-rpc.md, never renumbered or reused.
 */
public enum ErrorCode {
  PARSE_ERROR(-32700, "parse error"),
  INVALID_REQUEST(-32600, "invalid request"),
  METHOD_NOT_FOUND(-32601, "method not found"),
  INVALID_PARAMS(-32602, "invalid params"),
  INTERNAL_ERROR(-32603, "internal error"),

  // -32000..-32019: the mempool refused a transaction.
  MALFORMED_TX(-32000, "malformed transaction"),
  WRONG_CHAIN_ID(-32001, "wrong chain id"),
  BAD_SIGNATURE(-32002, "bad signature"),
  NOT_A_MEMBER(-32003, "sender is not a member"),
  NONCE_TOO_LOW(-32004, "nonce too low"),
  NONCE_GAP(-32005, "nonce gap too large"),
  NONCE_ALREADY_PENDING(-32006, "a transaction with this nonce is already pending"),
  ALREADY_KNOWN(-32007, "transaction already known"),
  INSUFFICIENT_BALANCE(-32008, "insufficient balance"),
  MEMPOOL_FULL(-32009, "mempool full"),
  SENDER_LIMIT(-32010, "too many pending transactions from this sender"),

  // -32020..-32039: the thing asked for does not exist (here).
  UNKNOWN_TX(-32020, "unknown transaction"),
  UNKNOWN_BLOCK(-32021, "unknown block"),
  STATE_UNAVAILABLE(-32022, "state not available at this height"),
  BLOCK_PRUNED(-32023, "block pruned"),

  // -32040..-32059: a limit of this endpoint was exceeded.
  RATE_LIMITED(-32040, "rate limit exceeded"),
  BATCH_TOO_LONG(-32041, "batch too long"),
  REQUEST_TOO_LARGE(-32042, "request too large"),
  JSON_TOO_COMPLEX(-32043, "request JSON exceeds a parser limit"),
  SUBSCRIPTIONS_LIMIT(-32044, "too many subscriptions on this connection"),
  WEBSOCKET_ONLY(-32045, "method only available over WebSocket"),
  SHUTTING_DOWN(-32046, "server is shutting down"),
  RESPONSE_TOO_LARGE(-32047, "response too large"),
  SERVER_BUSY(-32048, "server busy"),

  // -32060..-32079: the caller is not authenticated, or not allowed to call this method.
  UNAUTHENTICATED(-32060, "authentication required"),
  TOKEN_INVALID(-32061, "invalid token"),
  TOKEN_EXPIRED(-32062, "token expired"),
  PERMISSION_DENIED(-32063, "method not permitted"),
  LOGIN_FAILED(-32064, "invalid username or password"),
  LOGIN_DISABLED(-32065, "login not enabled on this node");

  private final int code;
  private final String message;

  ErrorCode(int code, String message) {
    this.code = code;
    this.message = message;
  }

  public int code() {
    return code;
  }

  /** The short, fixed message; details go after it ("invalid params: address: ..."). */
  public String message() {
    return message;
  }

  public static ErrorCode of(RejectionReason reason) {
    return switch (reason) {
      case MALFORMED -> MALFORMED_TX;
      case WRONG_CHAIN_ID -> WRONG_CHAIN_ID;
      case BAD_SIGNATURE -> BAD_SIGNATURE;
      case NOT_A_MEMBER -> NOT_A_MEMBER;
      case NONCE_TOO_LOW -> NONCE_TOO_LOW;
      case NONCE_GAP_TOO_LARGE -> NONCE_GAP;
      case NONCE_ALREADY_PENDING -> NONCE_ALREADY_PENDING;
      case DUPLICATE -> ALREADY_KNOWN;
      case INSUFFICIENT_BALANCE -> INSUFFICIENT_BALANCE;
      case MEMPOOL_FULL -> MEMPOOL_FULL;
      case SENDER_LIMIT -> SENDER_LIMIT;
    };
  }
}
