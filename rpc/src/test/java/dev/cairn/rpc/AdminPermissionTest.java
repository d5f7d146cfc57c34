package dev.cairn.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.cairn.rpc.auth.RpcAuthConfig;
import dev.cairn.rpc.jsonrpc.ErrorCode;
import dev.cairn.rpc.server.RpcSecurity;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With authentication on, the admin namespace needs an admin permission; a cairn:* token does not reach it.
 * The node side is a fixed table here ({@link FixedNodeAdmin}); what is under test is the server's gate and the
 * answers' shapes.
 */
class AdminPermissionTest {
  @TempDir Path dir;

  @Test
  void adminMethodsNeedAnAdminPermission() throws Exception {
    ECKey issuer = new ECKeyGenerator(Curve.P_256).keyID("ops").generate();
    Path key = Files.writeString(dir.resolve("issuer.pem"), RpcAuthenticationTest.pem(issuer.toECPublicKey()));
    RpcAuthConfig auth = new RpcAuthConfig(true, Optional.empty(), Optional.of(key), RpcAuthConfig.JwtAlgorithm.ES256,
        60_000, 60, 5, 2);
    try (RpcTestServer server = new RpcTestServer(RpcTestServer.testConfig(), new RpcSecurity(auth, Optional.empty()),
        Optional.of(new FixedNodeAdmin()))) {
      String member = token(issuer, List.of("cairn:*"));
      String peersOnly = token(issuer, List.of("admin:peers"));
      String operator = token(issuer, List.of("admin:*", "cairn:*"));

      assertThat(call(server, member, "admin_peers").path("error").path("code").asInt()).isEqualTo(ErrorCode.PERMISSION_DENIED.code());
      assertThat(call(server, peersOnly, "admin_peers").path("result").get(0).path("role").asText()).isEqualTo("validator");
      assertThat(call(server, peersOnly, "admin_nodeInfo").path("error").path("code").asInt()).isEqualTo(ErrorCode.PERMISSION_DENIED.code());
      JsonNode evidence = call(server, operator, "admin_evidence").path("result").get(0);
      assertThat(evidence.path("first").path("message").isNull()).isTrue();
      assertThat(evidence.path("second").path("message").asText()).isEqualTo("0x02");
      assertThat(call(server, operator, "admin_addPeer", "\"bad\"").path("error").path("code").asInt()).isEqualTo(ErrorCode.INVALID_PARAMS.code());
      assertThat(call(server, operator, "cairn_blockNumber").has("result")).isTrue();
      assertThat(call(server, member, "admin_setLogLevel", "\"dev.cairn\",\"debug\"").path("error").path("code").asInt())
          .isEqualTo(ErrorCode.PERMISSION_DENIED.code());
    }
  }

  private static JsonNode call(RpcTestServer server, String token, String method) {
    return call(server, token, method, "");
  }

  private static JsonNode call(RpcTestServer server, String token, String method, String params) {
    String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":[" + params + "]}";
    try {
      return RpcTestServer.MAPPER.readTree(server.send(HttpRequest.newBuilder(server.uri()).header("Content-Type", "application/json")
          .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build()).body());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String token(ECKey issuer, List<String> permissions) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ops").build(),
        new JWTClaimsSet.Builder().subject("ops").expirationTime(Date.from(Instant.now().plusSeconds(60)))
            .claim("permissions", permissions).build());
    jwt.sign(new ECDSASigner(issuer));
    return jwt.serialize();
  }
}
