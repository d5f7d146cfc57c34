package dev.cairn.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * An Ed25519 key encrypted under a password: scrypt derives a 256-bit key from the password and a random
 * salt, AES-256-GCM encrypts the 32-byte seed. The version, KDF parameters and public key are bound to the
 * ciphertext as associated data, so editing any of them (say, lowering N to speed up a brute force) makes
 * decryption fail instead of silently weakening the file.
 *
 * <p>File format (JSON, version 1):
 * <pre>{"version":1,"address":"cairn1...","publicKey":"hex",
 *  "crypto":{"kdf":"scrypt","n":131072,"r":8,"p":1,"salt":"hex32","cipher":"aes-256-gcm","iv":"hex12","ciphertext":"hex48"}}</pre>
 */
public record Keystore(Address address, PublicKey publicKey, ScryptParams scrypt, Bytes salt, Bytes iv, Bytes ciphertext) {
  public static final int VERSION = 1;
  private static final int SALT_BYTES = 32;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** scrypt cost. {@link #STANDARD} takes ~0.5 s and 128 MiB; tests use {@link #FAST}. */
  public record ScryptParams(int n, int r, int p) {
    public static final ScryptParams STANDARD = new ScryptParams(1 << 17, 8, 1);
    public static final ScryptParams FAST = new ScryptParams(1 << 10, 8, 1);
    /** Caps what a keystore file may ask for: bounds the memory (128 * r * N bytes) and time a file can cost. */
    static final int N_MAX = 1 << 20;

    public ScryptParams {
      if (n < 2 || n > N_MAX || Integer.bitCount(n) != 1) {
        throw new IllegalArgumentException("scrypt n must be a power of two in 2.." + N_MAX + ", got " + n);
      }
      if (r < 1 || r > 32 || p < 1 || p > 16) {
        throw new IllegalArgumentException("scrypt r must be 1..32 and p 1..16");
      }
    }
  }

  /** The password is wrong or the file was altered: GCM authentication failed. */
  public static final class WrongPasswordException extends RuntimeException {
    WrongPasswordException(String message) {
      super(message);
    }
  }

  public Keystore {
    if (!Address.of(publicKey).equals(address)) {
      throw new IllegalArgumentException("keystore address does not belong to its public key");
    }
    if (salt.size() != SALT_BYTES || iv.size() != IV_BYTES || ciphertext.size() != KeyPair.SEED_SIZE + TAG_BITS / 8) {
      throw new IllegalArgumentException("keystore salt, iv or ciphertext has the wrong length");
    }
  }

  public static Keystore encrypt(KeyPair key, char[] password, ScryptParams params) {
    if (password.length == 0) {
      throw new IllegalArgumentException("an empty password would leave the key unprotected: choose a password");
    }
    byte[] salt = new byte[SALT_BYTES];
    byte[] iv = new byte[IV_BYTES];
    RANDOM.nextBytes(salt);
    RANDOM.nextBytes(iv);
    byte[] derived = derive(password, salt, params);
    byte[] seed = key.seed();
    try {
      GCMModeCipher gcm = cipher(true, derived, iv, associatedData(key.publicKey(), params));
      byte[] out = new byte[gcm.getOutputSize(seed.length)];
      int len = gcm.processBytes(seed, 0, seed.length, out, 0);
      gcm.doFinal(out, len);
      return new Keystore(key.address(), key.publicKey(), params, Bytes.wrap(salt), Bytes.wrap(iv), Bytes.wrap(out));
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    } finally {
      Arrays.fill(derived, (byte) 0);
      Arrays.fill(seed, (byte) 0);
    }
  }

  public KeyPair decrypt(char[] password) {
    byte[] derived = derive(password, salt.unsafeArray(), scrypt);
    byte[] seed = null;
    try {
      GCMModeCipher gcm = cipher(false, derived, iv.unsafeArray(), associatedData(publicKey, scrypt));
      byte[] ciphertext = this.ciphertext.unsafeArray();
      seed = new byte[gcm.getOutputSize(ciphertext.length)];
      int len = gcm.processBytes(ciphertext, 0, ciphertext.length, seed, 0);
      gcm.doFinal(seed, len);
      KeyPair key = KeyPair.fromSeed(seed);
      if (!key.publicKey().equals(publicKey)) {
        throw new WrongPasswordException("keystore for " + address + " decrypts to another key: the file is damaged");
      }
      return key;
    } catch (InvalidCipherTextException e) {
      throw new WrongPasswordException("wrong password for " + address + " (or the keystore file was altered)");
    } finally {
      Arrays.fill(derived, (byte) 0);
      if (seed != null) {
        Arrays.fill(seed, (byte) 0);
      }
    }
  }

  public ObjectNode toJson(ObjectMapper json) {
    ObjectNode root = json.createObjectNode();
    root.put("version", VERSION);
    root.put("address", address.toText());
    root.put("publicKey", publicKey.toHex());
    ObjectNode crypto = root.putObject("crypto");
    crypto.put("kdf", "scrypt");
    crypto.put("n", scrypt.n());
    crypto.put("r", scrypt.r());
    crypto.put("p", scrypt.p());
    crypto.put("salt", salt.toHex());
    crypto.put("cipher", "aes-256-gcm");
    crypto.put("iv", iv.toHex());
    crypto.put("ciphertext", ciphertext.toHex());
    return root;
  }

  /** Parses a keystore file; a one-line {@link IllegalArgumentException} names what is wrong. */
  public static Keystore fromJson(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("keystore: not a JSON object");
    }
    int version = requireInt(root, "version");
    if (version != VERSION) {
      throw new IllegalArgumentException("keystore: unsupported version " + version + " (this wallet reads " + VERSION + ")");
    }
    JsonNode crypto = root.get("crypto");
    if (crypto == null || !crypto.isObject()) {
      throw new IllegalArgumentException("keystore: missing crypto section");
    }
    if (!"scrypt".equals(text(crypto, "kdf")) || !"aes-256-gcm".equals(text(crypto, "cipher"))) {
      throw new IllegalArgumentException("keystore: only kdf=scrypt with cipher=aes-256-gcm is supported");
    }
    try {
      return new Keystore(
          Address.parse(text(root, "address")),
          PublicKey.fromHex(text(root, "publicKey")),
          new ScryptParams(requireInt(crypto, "n"), requireInt(crypto, "r"), requireInt(crypto, "p")),
          Bytes.fromHex(text(crypto, "salt")),
          Bytes.fromHex(text(crypto, "iv")),
          Bytes.fromHex(text(crypto, "ciphertext")));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("keystore: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("keystore: field '" + field + "' missing or not a string");
    }
    return value.asText();
  }

  private static int requireInt(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isInt()) {
      throw new IllegalArgumentException("keystore: field '" + field + "' missing or not an integer");
    }
    return value.intValue();
  }

  private static byte[] derive(char[] password, byte[] salt, ScryptParams params) {
    byte[] pw = new String(password).getBytes(StandardCharsets.UTF_8);
    try {
      return SCrypt.generate(pw, salt, params.n(), params.r(), params.p(), 32);
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
  }

  private static byte[] associatedData(PublicKey publicKey, ScryptParams params) {
    String header = "cairn-keystore/v" + VERSION + "/scrypt/" + params.n() + "/" + params.r() + "/" + params.p() + "/";
    byte[] prefix = header.getBytes(StandardCharsets.US_ASCII);
    byte[] ad = Arrays.copyOf(prefix, prefix.length + PublicKey.SIZE);
    System.arraycopy(publicKey.bytes().unsafeArray(), 0, ad, prefix.length, PublicKey.SIZE);
    return ad;
  }

  private static GCMModeCipher cipher(boolean encrypt, byte[] key, byte[] iv, byte[] associatedData) {
    GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
    gcm.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BITS, iv, associatedData));
    return gcm;
  }

  @Override
  public String toString() {
    return "Keystore[" + address + "]";
  }
}
