package dev.cairn.rpc.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.cairn.rpc.jsonrpc.ErrorCode;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a bearer token: this node's login tokens (ES256, our key id) and, when configured, an external
 * issuer's (its algorithm only: a token cannot pick a weaker one). Every token must carry {@code exp} and a
 * {@code permissions} array of {@code namespace:method} strings, as Besu's do.
 */
final class Tokens {
  static final String PERMISSIONS_CLAIM = "permissions";
  /** Longer is not a token anyone issues; refusing it first keeps parsing bounded. */
  static final int TOKEN_CHARS_MAX = 8 * 1024;
  static final int TOKEN_PERMISSIONS_MAX = Credentials.PERMISSIONS_PER_USER_MAX;

  private final LoginTokens login;
  private final Optional<JWSVerifier> external;
  private final Set<JWSAlgorithm> externalAlgorithms;

  Tokens(LoginTokens login, Optional<JWSVerifier> external, RpcAuthConfig.JwtAlgorithm algorithm) {
    this.login = login;
    this.external = external;
    this.externalAlgorithms = switch (algorithm) {
      case RS256 -> Set.of(JWSAlgorithm.RS256);
      case ES256 -> Set.of(JWSAlgorithm.ES256);
      case EdDSA -> Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
    };
  }

  Authentication check(String token, Instant now) {
    if (token.length() > TOKEN_CHARS_MAX) {
      return new Authentication.Refused(ErrorCode.TOKEN_INVALID, "longer than " + TOKEN_CHARS_MAX + " characters");
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      return new Authentication.Refused(ErrorCode.TOKEN_INVALID, "not a signed JWT");
    }
    Optional<JWSVerifier> verifier = verifierFor(jwt);
    if (verifier.isEmpty()) {
      return new Authentication.Refused(ErrorCode.TOKEN_INVALID, "signed by an unknown key or algorithm");
    }
    try {
      if (!jwt.verify(verifier.get())) {
        return new Authentication.Refused(ErrorCode.TOKEN_INVALID, "bad signature");
      }
    } catch (JOSEException | IllegalStateException e) {
      return new Authentication.Refused(ErrorCode.TOKEN_INVALID, "bad signature");
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return new Authentication.Refused(ErrorCode.TOKEN_INVALID, "unreadable claims");
    }
    return fromClaims(claims, now);
  }

  private Optional<JWSVerifier> verifierFor(SignedJWT jwt) {
    JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
    String keyId = jwt.getHeader().getKeyID();
    if (login.keyId().equals(keyId)) {
      return algorithm.equals(JWSAlgorithm.ES256) ? Optional.of(login.verifier()) : Optional.empty();
    }
    return externalAlgorithms.contains(algorithm) ? external : Optional.empty();
  }

  private static Authentication fromClaims(JWTClaimsSet claims, Instant now) {
    Date expiry = claims.getExpirationTime();
    if (expiry == null) {
      return new Authentication.Refused(ErrorCode.TOKEN_INVALID, "no exp claim");
    }
    if (!now.isBefore(expiry.toInstant())) {
      return new Authentication.Refused(ErrorCode.TOKEN_EXPIRED, "log in again");
    }
    Date notBefore = claims.getNotBeforeTime();
    if (notBefore != null && now.isBefore(notBefore.toInstant())) {
      return new Authentication.Refused(ErrorCode.TOKEN_INVALID, "not valid yet (nbf)");
    }
    Object raw = claims.getClaim(PERMISSIONS_CLAIM);
    if (!(raw instanceof List<?> list) || list.isEmpty() || list.size() > TOKEN_PERMISSIONS_MAX) {
      return new Authentication.Refused(ErrorCode.TOKEN_INVALID,
          "permissions claim must be an array of 1.." + TOKEN_PERMISSIONS_MAX + " namespace:method strings");
    }
    List<Permission> permissions = new ArrayList<>();
    for (Object item : list) {
      if (!(item instanceof String text)) {
        return new Authentication.Refused(ErrorCode.TOKEN_INVALID, "permissions claim holds a non-string");
      }
      try {
        permissions.add(Permission.parse(text));
      } catch (IllegalArgumentException e) {
        return new Authentication.Refused(ErrorCode.TOKEN_INVALID, "permissions claim: " + e.getMessage());
      }
    }
    String subject = claims.getSubject() == null ? "" : claims.getSubject();
    return new Authentication.Accepted(new AuthenticatedCaller(
        subject.length() > 64 ? subject.substring(0, 64) : subject, permissions, expiry.toInstant()));
  }
}
