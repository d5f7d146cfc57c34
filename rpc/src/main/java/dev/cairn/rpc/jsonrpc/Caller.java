package dev.cairn.rpc.jsonrpc;

import java.time.Instant;
import java.util.Optional;

/**
 * Who is calling, as far as the processor needs to know: whether it may call a method now. {@link
 * #UNRESTRICTED} when authentication is off; an authenticated caller (package {@code auth}) checks the
 * permissions and the expiry of its token.
 */
@FunctionalInterface
public interface Caller {
  /** Authentication is off: every registered method may be called. */
  Caller UNRESTRICTED = (methodName, now) -> Optional.empty();

  /** Why {@code methodName} may not be called now, or empty when it may. */
  Optional<RpcFailure> refusal(String methodName, Instant now);
}
