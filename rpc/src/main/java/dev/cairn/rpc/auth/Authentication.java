package dev.cairn.rpc.auth;

import dev.cairn.rpc.jsonrpc.Caller;
import dev.cairn.rpc.jsonrpc.ErrorCode;

/** What the {@code Authorization} header of a request (or of a WebSocket upgrade) proved. */
public sealed interface Authentication {
  /** The caller may go on; each call is still checked against its permissions. */
  record Accepted(Caller caller) implements Authentication {}

  /**
   * Refused before anything is read or run: {@link ErrorCode#UNAUTHENTICATED}, {@link ErrorCode#TOKEN_INVALID}
   * or {@link ErrorCode#TOKEN_EXPIRED}, with a detail safe to show the client.
   */
  record Refused(ErrorCode code, String detail) implements Authentication {}
}
