package dev.cairn.rpc.tls;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS for the JSON-RPC port (HTTP and WebSocket alike): the server's certificate and key from a PKCS#12
 * keystore and, optionally, a PKCS#12 truststore of the client certificates (or their CAs) that may connect:
 * with one, a client without an accepted certificate fails the handshake.
 */
public record RpcTlsConfig(Path keystore, KeystorePassword keystorePassword, Optional<Path> truststore,
    Optional<KeystorePassword> truststorePassword) {
  public RpcTlsConfig {
    Objects.requireNonNull(keystore, "keystore");
    Objects.requireNonNull(keystorePassword, "keystorePassword");
    Objects.requireNonNull(truststore, "truststore");
    Objects.requireNonNull(truststorePassword, "truststorePassword");
    if (truststore.isPresent() && truststorePassword.isEmpty()) {
      throw new IllegalArgumentException("a truststore needs its password (file or environment)");
    }
  }

  public boolean clientAuthentication() {
    return truststore.isPresent();
  }
}
