package dev.cairn.rpc;

import dev.cairn.rpc.server.RpcSecurity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.rpc.auth.RpcAuthConfig;
import dev.cairn.rpc.tls.KeystorePassword;
import dev.cairn.rpc.tls.RpcTlsConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on the JSON-RPC port from PKCS#12 keystores made by keytool, reached by the JDK's HTTPS and WebSocket
 * clients trusting the self-signed certificate; with a truststore, a client without a certificate is refused
 * in the handshake.
 */
class RpcTlsTest {
  private static final String BLOCK_NUMBER = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cairn_blockNumber\",\"params\":[]}";

  @TempDir
  static Path dir;
  static Path serverKeystore;
  static Path serverTrusted;

  @BeforeAll
  static void keystores() {
    serverKeystore = TestKeystores.selfSigned(dir, "rpc");
    serverTrusted = TestKeystores.trusting(dir, serverKeystore, "rpc");
  }

  @Test
  void httpsAndWssServeWithASelfSignedKeystore() throws Exception {
    RpcTlsConfig tls = new RpcTlsConfig(serverKeystore, password(), Optional.empty(), Optional.empty());
    try (RpcTestServer server = new RpcTestServer(RpcTestServer.testConfig(), new RpcSecurity(RpcAuthConfig.disabled(), Optional.of(tls)))) {
      HttpClient client = client(TestKeystores.clientContext(serverTrusted, null));
      HttpResponse<String> response = post(client, server.port, BLOCK_NUMBER);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("\"result\"");
      try (WsTestClient ws = new WsTestClient(client, URI.create("wss://localhost:" + server.port + RpcConfig.WS_PATH), Map.of())) {
        assertThat(ws.call("cairn_blockNumber", "[]").path("result").isNumber()).isTrue();
      }
      // A client that does not trust the certificate (the JDK's default CAs) gets no answer.
      assertThatThrownBy(() -> post(HttpClient.newHttpClient(), server.port, BLOCK_NUMBER)).isInstanceOf(IOException.class);
      // Nor does plain HTTP on the TLS port.
      assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port + "/"))
          .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString(BLOCK_NUMBER)).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).satisfiesAnyOf(
              e -> assertThat(e).isInstanceOf(IOException.class),
              e -> assertThat(e).isInstanceOf(AssertionError.class));
    }
  }

  @Test
  void withATruststoreOnlyClientsWithAnAcceptedCertificateConnect() throws Exception {
    Path clientKeystore = TestKeystores.selfSigned(dir, "client");
    Path clientTrusted = TestKeystores.trusting(dir, clientKeystore, "client");
    RpcTlsConfig tls = new RpcTlsConfig(serverKeystore, password(), Optional.of(clientTrusted), Optional.of(password()));
    try (RpcTestServer server = new RpcTestServer(RpcTestServer.testConfig(), new RpcSecurity(RpcAuthConfig.disabled(), Optional.of(tls)))) {
      HttpClient withCertificate = client(TestKeystores.clientContext(serverTrusted, clientKeystore));
      assertThat(post(withCertificate, server.port, BLOCK_NUMBER).statusCode()).isEqualTo(200);
      HttpClient without = client(TestKeystores.clientContext(serverTrusted, null));
      assertThatThrownBy(() -> post(without, server.port, BLOCK_NUMBER)).isInstanceOf(IOException.class);
      // A certificate the truststore does not hold is refused as well.
      Path stranger = TestKeystores.selfSigned(dir, "stranger");
      HttpClient strangerClient = client(TestKeystores.clientContext(serverTrusted, stranger));
      assertThatThrownBy(() -> post(strangerClient, server.port, BLOCK_NUMBER)).isInstanceOf(IOException.class);
    }
  }

  @Test
  void aWrongKeystorePasswordStopsTheServerFromBeingBuilt() {
    RpcTlsConfig tls = new RpcTlsConfig(serverKeystore, KeystorePassword.of("hunter2-guess".toCharArray()), Optional.empty(), Optional.empty());
    assertThatThrownBy(() -> new RpcTestServer(RpcTestServer.testConfig(), new RpcSecurity(RpcAuthConfig.disabled(), Optional.of(tls))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(serverKeystore.toString())
        .hasMessageContaining("wrong password").hasMessageNotContaining("hunter2");
    assertThat(tls.toString()).doesNotContain("hunter2");
  }

  @Test
  void aPasswordFileGivesItsFirstLine() throws Exception {
    Path file = dir.resolve("password.txt");
    Files.writeString(file, TestKeystores.PASSWORD + "\n");
    assertThat(new String(KeystorePassword.fromFile(file).chars())).isEqualTo(TestKeystores.PASSWORD);
  }

  private static KeystorePassword password() {
    return KeystorePassword.of(TestKeystores.PASSWORD.toCharArray());
  }

  private static HttpClient client(SSLContext context) {
    return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static HttpResponse<String> post(HttpClient client, int port, String body) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/")).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
