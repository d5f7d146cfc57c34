package dev.cairn.rpc.server;

import dev.cairn.rpc.auth.RpcAuthConfig;
import dev.cairn.rpc.tls.RpcTlsConfig;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may call the JSON-RPC endpoint and over what: authentication with per-method permissions, and TLS.
 * Both off by default (a devnet on 127.0.0.1); see docs/operations.md, "Securing JSON-RPC".
 */
public record RpcSecurity(RpcAuthConfig auth, Optional<RpcTlsConfig> tls) {
  public RpcSecurity {
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(tls, "tls");
  }

  public static RpcSecurity none() {
    return new RpcSecurity(RpcAuthConfig.disabled(), Optional.empty());
  }
}
