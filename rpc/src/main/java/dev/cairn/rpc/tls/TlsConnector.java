package dev.cairn.rpc.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Collections;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Builds the HTTPS connector of the JSON-RPC port from an {@link RpcTlsConfig}. The keystores are loaded and
 * checked here (a wrong password or a keystore without a private key stops the node at start-up with the file
 * named); TLS 1.2 and 1.3 only, with the JDK's default cipher suites.
 */
public final class TlsConnector {
  private final SslContextFactory.Server ssl;

  public TlsConnector(RpcTlsConfig config) {
    KeyStore keystore = load(config.keystore(), config.keystorePassword(), "keystore");
    if (!hasPrivateKey(keystore)) {
      throw new IllegalArgumentException("TLS keystore " + config.keystore() + " holds no private key entry");
    }
    ssl = new SslContextFactory.Server();
    ssl.setKeyStore(keystore);
    char[] password = config.keystorePassword().chars();
    ssl.setKeyStorePassword(new String(password));
    Arrays.fill(password, '\0');
    ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    if (config.truststore().isPresent()) {
      ssl.setTrustStore(load(config.truststore().get(), config.truststorePassword().orElseThrow(), "truststore"));
      ssl.setNeedClientAuth(true);
    }
  }

  /** For Javalin's {@code jetty.addConnector}: an HTTPS connector on {@code host:port}. */
  public Connector connector(Server server, HttpConfiguration http, String host, int port) {
    HttpConfiguration https = new HttpConfiguration(http);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // Clients reach nodes by IP address as often as by name: whether the name matches is the client's check.
    secure.setSniHostCheck(false);
    https.addCustomizer(secure);
    ServerConnector connector = new ServerConnector(server,
        new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(https));
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }

  private static KeyStore load(Path file, KeystorePassword password, String what) {
    char[] chars = password.chars();
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, chars);
      return store;
    } catch (IOException e) {
      // PKCS#12 reports a wrong password as an IOException whose cause is an UnrecoverableKeyException.
      throw new IllegalArgumentException("cannot open TLS " + what + " " + file + " (PKCS#12): "
          + (e.getCause() instanceof java.security.UnrecoverableKeyException ? "wrong password" : e.getMessage()));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot open TLS " + what + " " + file + " (PKCS#12): " + e.getMessage());
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  private static boolean hasPrivateKey(KeyStore store) {
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) {
          return true;
        }
      }
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("unreadable TLS keystore: " + e.getMessage());
    }
  }
}
