package dev.cairn.rpc.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Signs the tokens {@code POST /login} hands out: ES256 with a P-256 key made when the node starts and never
 * written anywhere, so a restart invalidates every token (a caller logs in again) and there is no signing key
 * on disk to steal. The key id tells this node's tokens from an external issuer's.
 */
final class LoginTokens {
  static final String ISSUER = "cairn-node";
  private final ECKey key;
  private final JWSSigner signer;
  private final JWSVerifier verifier;

  LoginTokens() {
    try {
      String keyId = "cairn-login-" + HexFormat.of().formatHex(UUID.randomUUID().toString().getBytes(), 0, 8);
      this.key = new ECKeyGenerator(Curve.P_256).keyID(keyId).generate();
      this.signer = new ECDSASigner(key);
      this.verifier = new ECDSAVerifier(key.toECPublicKey());
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot make the login signing key", e);
    }
  }

  String keyId() {
    return key.getKeyID();
  }

  JWSVerifier verifier() {
    return verifier;
  }

  String issue(String subject, List<Permission> permissions, Instant issuedAt, Instant expiresAt) {
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject(subject)
        .issueTime(Date.from(issuedAt))
        .expirationTime(Date.from(expiresAt))
        .jwtID(UUID.randomUUID().toString())
        .claim(Tokens.PERMISSIONS_CLAIM, permissions.stream().map(Permission::toString).toList())
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing a login token failed", e);
    }
    return jwt.serialize();
  }
}
