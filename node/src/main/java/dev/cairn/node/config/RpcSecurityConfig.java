package dev.cairn.node.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.rpc.server.RpcSecurity;
import dev.cairn.rpc.auth.RpcAuthConfig;
import dev.cairn.rpc.tls.KeystorePassword;
import dev.cairn.rpc.tls.RpcTlsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code [rpc-auth]} and {@code [rpc-tls]} sections. Keystore passwords come from a file named here or from
 * {@code CAIRN_RPC_TLS_KEYSTORE_PASSWORD} / {@code CAIRN_RPC_TLS_TRUSTSTORE_PASSWORD}, never from the TOML file
 * itself or a flag; they are held in {@link KeystorePassword}, which never prints them.
 */
final class RpcSecurityConfig {
  private RpcSecurityConfig() {}

  static RpcSecurity build(JsonNode auth, JsonNode tls, Path baseDir, Map<String, String> env) throws ConfigException {
    return new RpcSecurity(auth(auth, baseDir), tls(tls, baseDir, env));
  }

  private static RpcAuthConfig auth(JsonNode auth, Path baseDir) throws ConfigException {
    RpcAuthConfig.JwtAlgorithm algorithm;
    try {
      algorithm = RpcAuthConfig.JwtAlgorithm.valueOf(auth.get("jwt-algorithm").asText());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("rpc-auth.jwt-algorithm: expected RS256, ES256 or EdDSA, got " + auth.get("jwt-algorithm"));
    }
    boolean enabled = auth.get("enabled").asBoolean();
    Optional<Path> credentials = file(auth, "rpc-auth", "credentials-file", baseDir, enabled);
    Optional<Path> publicKey = file(auth, "rpc-auth", "jwt-public-key-file", baseDir, enabled);
    try {
      return new RpcAuthConfig(enabled, credentials, publicKey, algorithm,
          number(auth, "rpc-auth", "token-lifetime-millis", RpcAuthConfig.TOKEN_LIFETIME_MILLIS_MIN, RpcAuthConfig.TOKEN_LIFETIME_MILLIS_MAX),
          (int) number(auth, "rpc-auth", "logins-per-minute-per-ip", 1, 6_000),
          (int) number(auth, "rpc-auth", "login-burst-max", 1, 1_000),
          (int) number(auth, "rpc-auth", "login-checks-concurrent-max", 1, 64));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("rpc-auth: " + e.getMessage());
    }
  }

  private static Optional<RpcTlsConfig> tls(JsonNode tls, Path baseDir, Map<String, String> env) throws ConfigException {
    if (!tls.get("enabled").asBoolean()) {
      return Optional.empty();
    }
    Path keystore = file(tls, "rpc-tls", "keystore-file", baseDir, true)
        .orElseThrow(() -> new ConfigException("rpc-tls.enabled = true needs rpc-tls.keystore-file (a PKCS#12 keystore)"));
    KeystorePassword keystorePassword = password(tls, "keystore-password-file", ConfigLoader.KEYSTORE_PASSWORD_ENV, baseDir, env);
    Optional<Path> truststore = file(tls, "rpc-tls", "truststore-file", baseDir, true);
    Optional<KeystorePassword> truststorePassword = truststore.isEmpty() ? Optional.empty()
        : Optional.of(password(tls, "truststore-password-file", ConfigLoader.TRUSTSTORE_PASSWORD_ENV, baseDir, env));
    return Optional.of(new RpcTlsConfig(keystore, keystorePassword, truststore, truststorePassword));
  }

  private static KeystorePassword password(JsonNode tls, String key, String variable, Path baseDir, Map<String, String> env)
      throws ConfigException {
    Optional<Path> file = file(tls, "rpc-tls", key, baseDir, true);
    if (file.isPresent()) {
      try {
        return KeystorePassword.fromFile(file.get());
      } catch (IllegalArgumentException e) {
        throw new ConfigException("rpc-tls." + key + ": " + e.getMessage());
      }
    }
    String value = env.get(variable);
    if (value == null || value.isEmpty()) {
      throw new ConfigException("rpc-tls: set rpc-tls." + key + " or the environment variable " + variable);
    }
    return KeystorePassword.of(value.toCharArray());
  }

  /** A path key: empty means unset; when {@code mustExist}, a set path must name a readable file. */
  private static Optional<Path> file(JsonNode section, String name, String key, Path baseDir, boolean mustExist)
      throws ConfigException {
    String text = section.get(key).asText();
    if (text.isBlank()) {
      return Optional.empty();
    }
    Path path = baseDir.resolve(text).normalize();
    if (mustExist && !Files.isReadable(path)) {
      throw new ConfigException(name + "." + key + ": " + path + " is not a readable file");
    }
    return Optional.of(path);
  }

  private static long number(JsonNode section, String name, String key, long min, long max) throws ConfigException {
    JsonNode value = section.get(key);
    if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
      throw new ConfigException(name + "." + key + ": expected a whole number in [" + min + ", " + max + "], got " + value);
    }
    return value.asLong();
  }
}
