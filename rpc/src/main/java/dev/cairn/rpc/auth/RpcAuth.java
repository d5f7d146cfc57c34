package dev.cairn.rpc.auth;

import dev.cairn.rpc.jsonrpc.Caller;
import dev.cairn.rpc.jsonrpc.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authentication of JSON-RPC callers: checks the bearer token of a request or WebSocket upgrade, and turns a
 * user name and password into a short-lived token. Built once from {@link RpcAuthConfig}; the files it names
 * are read and checked here, so a bad file stops the node at start-up, not at the first call.
 */
public final class RpcAuth {
  private static final Logger LOG = LoggerFactory.getLogger(RpcAuth.class);
  private static final String BEARER = "Bearer ";

  private final RpcAuthConfig config;
  private final Optional<Credentials> credentials;
  private final LoginTokens loginTokens = new LoginTokens();
  private final Tokens tokens;
  private final Semaphore passwordChecks;
  private final Clock clock;

  public RpcAuth(RpcAuthConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.credentials = config.credentialsFile().map(Credentials::read);
    this.tokens = new Tokens(loginTokens,
        config.jwtPublicKeyFile().map(file -> JwtPublicKeys.verifier(file, config.jwtAlgorithm())),
        config.jwtAlgorithm());
    this.passwordChecks = new Semaphore(config.loginChecksConcurrentMax());
    LOG.info("rpc authentication enabled={} users={} external_jwt_key={} token_lifetime_ms={}", config.enabled(),
        credentials.map(Credentials::size).orElse(0), config.jwtPublicKeyFile().isPresent(), config.tokenLifetimeMillis());
  }

  public RpcAuthConfig config() {
    return config;
  }

  public boolean enabled() {
    return config.enabled();
  }

  /**
   * The caller a request's {@code Authorization} header (null when absent) proves. With authentication off,
   * every request is {@link Caller#UNRESTRICTED}, whatever it sends.
   */
  public Authentication authenticate(String authorizationHeader) {
    if (!config.enabled()) {
      return new Authentication.Accepted(Caller.UNRESTRICTED);
    }
    if (authorizationHeader == null || authorizationHeader.isBlank()) {
      return new Authentication.Refused(ErrorCode.UNAUTHENTICATED,
          "send Authorization: Bearer TOKEN (POST /login gives one)");
    }
    if (!authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return new Authentication.Refused(ErrorCode.UNAUTHENTICATED, "only Bearer tokens are accepted");
    }
    return tokens.check(authorizationHeader.substring(BEARER.length()).trim(), clock.instant());
  }

  /** The answer to one login attempt. */
  public sealed interface Login {
    record Issued(String token, Instant expiresAt) implements Login {}

    record Refused(ErrorCode code) implements Login {}

    /** Too many password checks running already; the client should retry shortly. */
    record Busy() implements Login {}
  }

  /**
   * Checks a password against the credentials file and issues a token with the user's permissions. The
   * password array is wiped before returning. An unknown user costs the same bcrypt check as a known one.
   */
  public Login login(String user, char[] password) {
    try {
      if (credentials.isEmpty() || !config.enabled()) {
        return new Login.Refused(ErrorCode.LOGIN_DISABLED);
      }
      if (!passwordChecks.tryAcquire()) {
        return new Login.Busy();
      }
      try {
        Optional<Credentials.User> found = Credentials.validUserName(user) ? credentials.get().user(user) : Optional.empty();
        boolean matches = found.isPresent()
            ? PasswordHashes.matches(password, found.get().passwordHash())
            : PasswordHashes.matchesNothing(password);
        if (!matches) {
          LOG.info("rpc login refused user=\"{}\" reason={}", shown(user), found.isPresent() ? "bad_password" : "unknown_user");
          return new Login.Refused(ErrorCode.LOGIN_FAILED);
        }
        Instant now = clock.instant();
        Instant expiresAt = now.plusMillis(config.tokenLifetimeMillis());
        LOG.info("rpc login user={} permissions={} expires_at={}", user, found.get().permissions(), expiresAt);
        return new Login.Issued(loginTokens.issue(user, found.get().permissions(), now, expiresAt), expiresAt);
      } finally {
        passwordChecks.release();
      }
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private static String shown(String user) {
    String cut = user.length() > 64 ? user.substring(0, 64) : user;
    return cut.replaceAll("[^A-Za-z0-9._@-]", "?");
  }
}
