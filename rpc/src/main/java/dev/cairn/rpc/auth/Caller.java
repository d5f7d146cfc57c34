package dev.cairn.rpc.auth;

import dev.cairn.rpc.jsonrpc.ErrorCode;
import dev.cairn.rpc.jsonrpc.RpcFailure;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is calling, as far as the JSON-RPC processor needs to know: either anyone (authentication is off) or
 * an authenticated subject with the permissions its token carries, until the token expires.
 */
public sealed interface Caller {
  /** Authentication is off: every registered method may be called. */
  Caller UNRESTRICTED = new Unrestricted();

  /** Why {@code methodName} may not be called now, or empty when it may. */
  Optional<RpcFailure> refusal(String methodName, Instant now);

  record Unrestricted() implements Caller {
    @Override
    public Optional<RpcFailure> refusal(String methodName, Instant now) {
      return Optional.empty();
    }
  }

  /**
   * @param subject the token's {@code sub} (the user name for login tokens); only for logs
   * @param expiresAt the token's {@code exp}: a WebSocket connection opened with it keeps it, so every call
   *     checks it again
   */
  record Authenticated(String subject, List<Permission> permissions, Instant expiresAt) implements Caller {
    public Authenticated {
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(expiresAt, "expiresAt");
      permissions = List.copyOf(permissions);
    }

    @Override
    public Optional<RpcFailure> refusal(String methodName, Instant now) {
      if (!now.isBefore(expiresAt)) {
        return Optional.of(new RpcFailure(ErrorCode.TOKEN_EXPIRED, "log in again"));
      }
      for (Permission permission : permissions) {
        if (permission.permits(methodName)) {
          return Optional.empty();
        }
      }
      return Optional.of(new RpcFailure(ErrorCode.PERMISSION_DENIED, methodName.length() > 64
          ? methodName.substring(0, 64) + "..." : methodName));
    }
  }
}
