package dev.cairn.rpc.auth;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How JSON-RPC callers authenticate. Off, every method is open to whoever reaches the port (the devnet
 * default; bind to 127.0.0.1). On, every call needs a bearer token that carries a permission for its method.
 *
 * @param credentialsFile users and their bcrypt hashes (TOML); enables {@code POST /login}
 * @param jwtPublicKeyFile an external issuer's public key (PEM, X.509 SubjectPublicKeyInfo): tokens it signed
 *     are accepted too
 * @param jwtAlgorithm the external issuer's algorithm: RS256, ES256 or EdDSA
 * @param tokenLifetimeMillis how long a login token is valid
 * @param loginsPerMinutePerIp login attempts a client address may make per minute (bcrypt is slow on purpose)
 * @param loginBurstMax login attempts a client address may make at once after being idle
 * @param loginChecksConcurrentMax password checks running at once, all clients together: a flood of logins
 *     from many addresses cannot take more than this many cores
 */
public record RpcAuthConfig(
    boolean enabled,
    Optional<Path> credentialsFile,
    Optional<Path> jwtPublicKeyFile,
    JwtAlgorithm jwtAlgorithm,
    long tokenLifetimeMillis,
    int loginsPerMinutePerIp,
    int loginBurstMax,
    int loginChecksConcurrentMax) {

  public static final long TOKEN_LIFETIME_MILLIS_MIN = 10_000;
  public static final long TOKEN_LIFETIME_MILLIS_MAX = 24L * 3_600_000;

  /** The algorithms an external issuer may sign with. */
  public enum JwtAlgorithm { RS256, ES256, EdDSA }

  public RpcAuthConfig {
    Objects.requireNonNull(credentialsFile, "credentialsFile");
    Objects.requireNonNull(jwtPublicKeyFile, "jwtPublicKeyFile");
    Objects.requireNonNull(jwtAlgorithm, "jwtAlgorithm");
    if (enabled && credentialsFile.isEmpty() && jwtPublicKeyFile.isEmpty()) {
      throw new IllegalArgumentException("rpc authentication is enabled but neither a credentials file nor a JWT "
          + "public key file is set: no caller could ever authenticate");
    }
    if (tokenLifetimeMillis < TOKEN_LIFETIME_MILLIS_MIN || tokenLifetimeMillis > TOKEN_LIFETIME_MILLIS_MAX) {
      throw new IllegalArgumentException("token lifetime must be in [" + TOKEN_LIFETIME_MILLIS_MIN + ", "
          + TOKEN_LIFETIME_MILLIS_MAX + "] ms, got " + tokenLifetimeMillis);
    }
    if (loginsPerMinutePerIp < 1 || loginBurstMax < 1 || loginChecksConcurrentMax < 1) {
      throw new IllegalArgumentException("login limits must be >= 1");
    }
  }

  public static RpcAuthConfig disabled() {
    return new RpcAuthConfig(false, Optional.empty(), Optional.empty(), JwtAlgorithm.RS256, 300_000, 10, 5, 2);
  }
}
