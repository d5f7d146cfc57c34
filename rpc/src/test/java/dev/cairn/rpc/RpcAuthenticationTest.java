package dev.cairn.rpc;

import dev.cairn.rpc.server.RpcSecurity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.cairn.rpc.auth.PasswordHashes;
import dev.cairn.rpc.auth.RpcAuthConfig;
import dev.cairn.rpc.jsonrpc.ErrorCode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication and per-method permissions over a real server: login with a bcrypt credentials file, tokens
 * of an external ES256 or EdDSA issuer, over HTTP and WebSocket. What is refused gets its own error code and
 * HTTP status.
 */
class RpcAuthenticationTest {
  private static final String BLOCK_NUMBER = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cairn_blockNumber\",\"params\":[]}";

  @TempDir
  static Path dir;
  static ECKey issuer;
  static RpcTestServer server;

  @BeforeAll
  static void start() throws Exception {
    Path credentials = dir.resolve("credentials.toml");
    Files.writeString(credentials, """
        [users.alice]
        password = "%s"
        permissions = ["cairn:*"]

        [users.reader]
        password = "%s"
        permissions = ["cairn:getAccount"]
        """.formatted(PasswordHashes.hash("alice-secret".toCharArray(), PasswordHashes.COST_MIN),
            PasswordHashes.hash("reader-secret".toCharArray(), PasswordHashes.COST_MIN)));
    issuer = new ECKeyGenerator(Curve.P_256).keyID("external").generate();
    Path publicKey = dir.resolve("issuer.pem");
    Files.writeString(publicKey, pem(issuer.toECPublicKey()));
    RpcAuthConfig auth = new RpcAuthConfig(true, Optional.of(credentials), Optional.of(publicKey),
        RpcAuthConfig.JwtAlgorithm.ES256, 60_000, 600, 20, 2);
    server = new RpcTestServer(RpcTestServer.testConfig(), new RpcSecurity(auth, Optional.empty()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aCallWithoutCredentialsIsRefusedWith401BeforeTheBodyIsRead() {
    HttpResponse<String> response = server.post(BLOCK_NUMBER);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    assertThat(code(response)).isEqualTo(ErrorCode.UNAUTHENTICATED.code());
    // Even a body that is not JSON gets the same answer: nothing is parsed for an anonymous caller.
    assertThat(code(server.post("not json"))).isEqualTo(ErrorCode.UNAUTHENTICATED.code());
  }

  @Test
  void aLoggedInUserCallsWhatItsPermissionsCover() {
    String token = login("alice", "alice-secret");
    HttpResponse<String> response = post(BLOCK_NUMBER, token);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).path("result").isNumber()).isTrue();
  }

  @Test
  void aTokenWithoutTheMethodsPermissionIsRefusedWith403() {
    String token = login("reader", "reader-secret");
    HttpResponse<String> refused = post(BLOCK_NUMBER, token);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(code(refused)).isEqualTo(ErrorCode.PERMISSION_DENIED.code());
    assertThat(json(refused).path("error").path("message").asText()).contains("cairn_blockNumber");
    // In a batch, each call gets its own verdict and the answer is a 200.
    HttpResponse<String> batch = post("[" + BLOCK_NUMBER + ",{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"cairn_getAccount\","
        + "\"params\":[\"" + dev.cairn.ledger.crypto.KeyPair.fromSeedText("alice").address().toText() + "\"]}]", token);
    assertThat(batch.statusCode()).isEqualTo(200);
    assertThat(json(batch).get(0).path("error").path("code").asInt()).isEqualTo(ErrorCode.PERMISSION_DENIED.code());
    assertThat(json(batch).get(1).has("result")).isTrue();
  }

  @Test
  void anExpiredTokenIsRefused() throws Exception {
    String expired = externalToken(List.of("*:*"), Instant.now().minusSeconds(5));
    HttpResponse<String> response = post(BLOCK_NUMBER, expired);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(code(response)).isEqualTo(ErrorCode.TOKEN_EXPIRED.code());
  }

  @Test
  void anExternalIssuersTokenIsAcceptedAndForgedOnesAreNot() throws Exception {
    assertThat(post(BLOCK_NUMBER, externalToken(List.of("cairn:blockNumber"), Instant.now().plusSeconds(60))).statusCode())
        .isEqualTo(200);
    // Signed by another key with the same key id.
    ECKey other = new ECKeyGenerator(Curve.P_256).keyID("external").generate();
    assertThat(code(post(BLOCK_NUMBER, sign(other, List.of("*:*"), Instant.now().plusSeconds(60)))))
        .isEqualTo(ErrorCode.TOKEN_INVALID.code());
    // HS256 keyed with the issuer's public key (the classic algorithm confusion) is not an accepted algorithm.
    SignedJWT confused = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims(List.of("*:*"), Instant.now().plusSeconds(60)));
    confused.sign(new MACSigner(java.security.MessageDigest.getInstance("SHA-256").digest(issuer.toECPublicKey().getEncoded())));
    assertThat(code(post(BLOCK_NUMBER, confused.serialize()))).isEqualTo(ErrorCode.TOKEN_INVALID.code());
    // Unsigned ("alg": "none").
    String none = b64("{\"alg\":\"none\"}") + "." + b64(claims(List.of("*:*"), Instant.now().plusSeconds(60)).toString()) + ".";
    assertThat(code(post(BLOCK_NUMBER, none))).isEqualTo(ErrorCode.TOKEN_INVALID.code());
    // No permissions claim.
    SignedJWT bare = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("external").build(),
        new JWTClaimsSet.Builder().subject("x").expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
    bare.sign(new ECDSASigner(issuer));
    assertThat(code(post(BLOCK_NUMBER, bare.serialize()))).isEqualTo(ErrorCode.TOKEN_INVALID.code());
  }

  @Test
  void wrongPasswordsAndUnknownUsersGetTheSameAnswer() {
    HttpResponse<String> wrong = send(server, "{\"username\":\"alice\",\"password\":\"guess\"}");
    HttpResponse<String> unknown = send(server, "{\"username\":\"mallory\",\"password\":\"guess\"}");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).isEqualTo(unknown.body());
    assertThat(code(wrong)).isEqualTo(ErrorCode.LOGIN_FAILED.code());
  }

  @Test
  void loginAttemptsAreRateLimitedPerAddress() {
    // Every client of this class is 127.0.0.1 (forwarding headers are not trusted): count on a fresh server.
    RpcAuthConfig auth = new RpcAuthConfig(true, Optional.of(dir.resolve("credentials.toml")),
        Optional.empty(), RpcAuthConfig.JwtAlgorithm.ES256, 60_000, 1, 3, 2);
    try (RpcTestServer limited = new RpcTestServer(RpcTestServer.testConfig(), new RpcSecurity(auth, Optional.empty()))) {
      for (int i = 0; i < 3; i++) {
        assertThat(send(limited, "{\"username\":\"alice\",\"password\":\"wrong\"}").statusCode()).isEqualTo(401);
      }
      HttpResponse<String> limitedAnswer = send(limited, "{\"username\":\"alice\",\"password\":\"alice-secret\"}");
      assertThat(limitedAnswer.statusCode()).isEqualTo(429);
      assertThat(code(limitedAnswer)).isEqualTo(ErrorCode.RATE_LIMITED.code());
    }
  }

  @Test
  void aWebSocketUpgradeNeedsATokenAndTheConnectionKeepsItsPermissions() {
    assertThatThrownBy(() -> new WsTestClient(HttpClient.newHttpClient(), server.wsUri(), Map.of()))
        .isInstanceOf(CompletionException.class).hasStackTraceContaining("status code 401");
    String alice = login("alice", "alice-secret");
    try (WsTestClient ws = new WsTestClient(HttpClient.newHttpClient(), server.wsUri(), Map.of("Authorization", "Bearer " + alice))) {
      assertThat(ws.call("cairn_blockNumber", "[]").path("result").isNumber()).isTrue();
      assertThat(ws.call("cairn_subscribe", "[\"newHeads\"]").path("result").isTextual()).isTrue();
    }
    String reader = login("reader", "reader-secret");
    try (WsTestClient ws = new WsTestClient(HttpClient.newHttpClient(), server.wsUri(), Map.of("Authorization", "Bearer " + reader))) {
      assertThat(ws.call("cairn_blockNumber", "[]").path("error").path("code").asInt())
          .isEqualTo(ErrorCode.PERMISSION_DENIED.code());
    }
  }

  @Test
  void anEdDsaIssuerIsVerifiedWithTheJdksEd25519() throws Exception {
    KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path publicKey = dir.resolve("ed.pem");
    Files.writeString(publicKey, pem(ed.getPublic()));
    RpcAuthConfig auth = new RpcAuthConfig(true, Optional.empty(), Optional.of(publicKey), RpcAuthConfig.JwtAlgorithm.EdDSA,
        60_000, 60, 3, 2);
    try (RpcTestServer edServer = new RpcTestServer(RpcTestServer.testConfig(), new RpcSecurity(auth, Optional.empty()))) {
      String claims = claims(List.of("cairn:*"), Instant.now().plusSeconds(60)).toString();
      String input = b64("{\"alg\":\"EdDSA\"}") + "." + b64(claims);
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(ed.getPrivate());
      signer.update(input.getBytes(StandardCharsets.US_ASCII));
      String token = input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
      assertThat(send(edServer, BLOCK_NUMBER, token).statusCode()).isEqualTo(200);
      String tampered = b64("{\"alg\":\"EdDSA\"}") + "." + b64(claims(List.of("*:*"), Instant.now().plusSeconds(60)).toString())
          + token.substring(token.lastIndexOf('.'));
      assertThat(code(send(edServer, BLOCK_NUMBER, tampered))).isEqualTo(ErrorCode.TOKEN_INVALID.code());
      // No credentials file on this node: login is not served.
      assertThat(send(edServer, "{\"username\":\"alice\",\"password\":\"alice-secret\"}").statusCode()).isEqualTo(404);
    }
  }

  private static String login(String user, String password) {
    HttpResponse<String> response = send(server, "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode answer = json(response);
    assertThat(answer.path("expiresAt").asLong()).isGreaterThan(System.currentTimeMillis());
    return answer.path("token").asText();
  }

  private static HttpResponse<String> send(RpcTestServer target, String loginBody) {
    return target.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port + "/login"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(loginBody)).build());
  }

  private static HttpResponse<String> send(RpcTestServer target, String body, String token) {
    return target.send(HttpRequest.newBuilder(target.uri()).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static HttpResponse<String> post(String body, String token) {
    return send(server, body, token);
  }

  private static String externalToken(List<String> permissions, Instant expiresAt) throws Exception {
    return sign(issuer, permissions, expiresAt);
  }

  private static String sign(ECKey key, List<String> permissions, Instant expiresAt) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
        claims(permissions, expiresAt));
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  private static JWTClaimsSet claims(List<String> permissions, Instant expiresAt) {
    return new JWTClaimsSet.Builder().subject("operator").expirationTime(Date.from(expiresAt))
        .claim("permissions", permissions).build();
  }

  static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
  }

  private static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return RpcTestServer.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError(response.body(), e);
    }
  }

  private static int code(HttpResponse<String> response) {
    return json(response).path("error").path("code").asInt();
  }
}
