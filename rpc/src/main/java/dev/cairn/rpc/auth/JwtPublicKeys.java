package dev.cairn.rpc.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Reads an external token issuer's public key (PEM {@code PUBLIC KEY}) and builds its verifier. */
final class JwtPublicKeys {
  static final int FILE_BYTES_MAX = 64 * 1024;
  static final int RSA_BITS_MIN = 2048;
  private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
  private static final String END = "-----END PUBLIC KEY-----";

  private JwtPublicKeys() {}

  static JWSVerifier verifier(Path file, RpcAuthConfig.JwtAlgorithm algorithm) {
    PublicKey key = read(file, algorithm);
    try {
      return switch (algorithm) {
        case RS256 -> {
          RSAPublicKey rsa = (RSAPublicKey) key;
          if (rsa.getModulus().bitLength() < RSA_BITS_MIN) {
            throw new IllegalArgumentException("JWT public key " + file + ": RSA keys must have >= " + RSA_BITS_MIN + " bits");
          }
          yield new RSASSAVerifier(rsa);
        }
        case ES256 -> new ECDSAVerifier((ECPublicKey) key);
        case EdDSA -> new Ed25519JwsVerifier(key);
      };
    } catch (JOSEException e) {
      throw new IllegalArgumentException("JWT public key " + file + " cannot verify " + algorithm + ": " + e.getMessage());
    }
  }

  static PublicKey read(Path file, RpcAuthConfig.JwtAlgorithm algorithm) {
    String text;
    try {
      if (Files.size(file) > FILE_BYTES_MAX) {
        throw new IllegalArgumentException("JWT public key file " + file + " is over " + FILE_BYTES_MAX + " bytes");
      }
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read JWT public key file " + file + ": " + e.getMessage());
    }
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException("JWT public key file " + file + " holds no " + BEGIN + " block");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(text.substring(begin + BEGIN.length(), end));
      String jca = switch (algorithm) {
        case RS256 -> "RSA";
        case ES256 -> "EC";
        case EdDSA -> "Ed25519";
      };
      PublicKey key = KeyFactory.getInstance(jca).generatePublic(new X509EncodedKeySpec(der));
      if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() != 256) {
        throw new IllegalArgumentException("JWT public key file " + file + ": ES256 needs a P-256 key");
      }
      return key;
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("JWT public key")) {
        throw e;
      }
      throw new IllegalArgumentException("JWT public key file " + file + ": not base64 PEM");
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("JWT public key file " + file + " is not a " + algorithm + " public key: " + e.getMessage());
    }
  }
}
