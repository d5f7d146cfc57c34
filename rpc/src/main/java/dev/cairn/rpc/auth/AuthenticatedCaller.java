package dev.cairn.rpc.auth;

import dev.cairn.rpc.jsonrpc.Caller;
import dev.cairn.rpc.jsonrpc.ErrorCode;
import dev.cairn.rpc.jsonrpc.RpcFailure;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A caller whose bearer token was verified: it may call what its permissions cover until the token expires.
 *
 * @param subject the token's {@code sub} (the user name for login tokens); only for logs
 * @param expiresAt the token's {@code exp}: a WebSocket connection opened with it keeps it, so every call
 *     checks it again
 */
public record AuthenticatedCaller(String subject, List<Permission> permissions, Instant expiresAt) implements Caller {
  public AuthenticatedCaller {
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
    return Optional.of(new RpcFailure(ErrorCode.PERMISSION_DENIED,
        methodName.length() > 64 ? methodName.substring(0, 64) + "..." : methodName));
  }
}
