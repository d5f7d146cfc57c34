package dev.cairn.rpc.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.rpc.jsonrpc.ErrorCode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PermissionTest {
  @Test
  void aPermissionCoversItsMethodItsNamespaceOrEverything() {
    assertThat(Permission.parse("cairn:getAccount").permits("cairn_getAccount")).isTrue();
    assertThat(Permission.parse("cairn:getAccount").permits("cairn_getAccountX")).isFalse();
    assertThat(Permission.parse("cairn:*").permits("cairn_sendTransaction")).isTrue();
    assertThat(Permission.parse("cairn:*").permits("admin_peers")).isFalse();
    assertThat(Permission.parse("admin:*").permits("admin_setLogLevel")).isTrue();
    assertThat(Permission.parse("rpc:discover").permits("rpc.discover")).isTrue();
    assertThat(Permission.parse("cairn:*").permits("rpc.discover")).isFalse();
    assertThat(Permission.parse("*:*").permits("anything_at.all")).isTrue();
    assertThat(Permission.parse("cairn:*").permits("cairn")).as("no namespace separator").isFalse();
    assertThat(Permission.parse("cairn:*").permits("cairnX_y")).isFalse();
  }

  @Test
  void malformedPermissionsAreRefusedWithTheReason() {
    for (String bad : List.of("cairn", "cairn:a:b", ":x", "cairn:", "*:getAccount", "cai rn:*", "cairn:get-account")) {
      assertThatThrownBy(() -> Permission.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void anAuthenticatedCallerIsRefusedAfterItsTokenExpires() {
    Instant expiry = Instant.parse("2030-01-01T00:00:00Z");
    AuthenticatedCaller caller = new AuthenticatedCaller("ops", List.of(Permission.parse("cairn:*")), expiry);
    assertThat(caller.refusal("cairn_blockNumber", expiry.minusMillis(1))).isEmpty();
    assertThat(caller.refusal("cairn_blockNumber", expiry).orElseThrow().code()).isEqualTo(ErrorCode.TOKEN_EXPIRED);
    assertThat(caller.refusal("admin_peers", expiry.minusMillis(1)).orElseThrow().code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
  }
}
