package dev.cairn.p2p.noise;

import dev.cairn.p2p.wire.DecodeException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * The Noise_XX_25519_ChaChaPoly_SHA256 handshake (three messages) as a pure state machine:
 * {@code -> e; <- e, ee, s, es; -> s, se}. The prologue is empty. After message 3 {@link #split} yields the
 * transport ciphers; the initiator sends with the first.
 */
public final class NoiseXX {
  static final byte[] PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256".getBytes(StandardCharsets.US_ASCII);
  public static final int DH_BYTES = 32;

  private final boolean initiator;
  private final byte[] staticPrivate;
  private final byte[] staticPublic;
  private final SecureRandom random;
  private byte[] ephemeralPrivate;
  private byte[] ephemeralPublic;
  private byte[] remoteEphemeral;
  private byte[] remoteStatic;
  private byte[] h;
  private byte[] ck;
  private final CipherState cipher = new CipherState();

  public NoiseXX(boolean initiator, byte[] staticPrivate, SecureRandom random) {
    this.initiator = initiator;
    this.staticPrivate = staticPrivate.clone();
    this.staticPublic = new byte[DH_BYTES];
    X25519.generatePublicKey(staticPrivate, 0, staticPublic, 0);
    this.random = random;
    this.h = PROTOCOL_NAME.clone(); // exactly 32 bytes: used as is, not hashed
    this.ck = h.clone();
    mixHash(new byte[0]); // empty prologue
  }

  public static byte[] generateStaticKey(SecureRandom random) {
    byte[] k = new byte[DH_BYTES];
    X25519.generatePrivateKey(random, k);
    return k;
  }

  public boolean initiator() {
    return initiator;
  }

  public byte[] staticPublicKey() {
    return staticPublic.clone();
  }

  /** The remote's static X25519 key, known after message 2 (initiator) or 3 (responder). */
  public byte[] remoteStaticKey() {
    return remoteStatic == null ? null : remoteStatic.clone();
  }

  /** Initiator: message 1 = e. */
  public byte[] writeMessage1() {
    requireRole(true);
    generateEphemeral();
    mixHash(ephemeralPublic);
    byte[] payload = encryptAndHash(new byte[0]);
    return concat(ephemeralPublic, payload);
  }

  /** Responder: reads e. */
  public void readMessage1(byte[] msg) {
    requireRole(false);
    if (msg.length < DH_BYTES) throw new DecodeException("noise_short_message", "message 1 of " + msg.length + " bytes");
    remoteEphemeral = Arrays.copyOf(msg, DH_BYTES);
    mixHash(remoteEphemeral);
    decryptAndHash(msg, DH_BYTES, msg.length - DH_BYTES);
  }

  /** Responder: message 2 = e, ee, s, es, payload. */
  public byte[] writeMessage2(byte[] payload) {
    requireRole(false);
    generateEphemeral();
    mixHash(ephemeralPublic);
    mixKey(dh(ephemeralPrivate, remoteEphemeral));
    byte[] s = encryptAndHash(staticPublic);
    mixKey(dh(staticPrivate, remoteEphemeral));
    return concat(concat(ephemeralPublic, s), encryptAndHash(payload));
  }

  /** Initiator: reads message 2 and returns the responder's handshake payload. */
  public byte[] readMessage2(byte[] msg) {
    requireRole(true);
    int sLen = DH_BYTES + CipherState.TAG_BYTES;
    if (msg.length < DH_BYTES + sLen) throw new DecodeException("noise_short_message", "message 2 of " + msg.length + " bytes");
    remoteEphemeral = Arrays.copyOf(msg, DH_BYTES);
    mixHash(remoteEphemeral);
    mixKey(dh(ephemeralPrivate, remoteEphemeral));
    remoteStatic = decryptAndHash(msg, DH_BYTES, sLen);
    mixKey(dh(ephemeralPrivate, remoteStatic));
    return decryptAndHash(msg, DH_BYTES + sLen, msg.length - DH_BYTES - sLen);
  }

  /** Initiator: message 3 = s, se, payload. */
  public byte[] writeMessage3(byte[] payload) {
    requireRole(true);
    byte[] s = encryptAndHash(staticPublic);
    mixKey(dh(staticPrivate, remoteEphemeral));
    return concat(s, encryptAndHash(payload));
  }

  /** Responder: reads message 3 and returns the initiator's handshake payload. */
  public byte[] readMessage3(byte[] msg) {
    requireRole(false);
    int sLen = DH_BYTES + CipherState.TAG_BYTES;
    if (msg.length < sLen) throw new DecodeException("noise_short_message", "message 3 of " + msg.length + " bytes");
    remoteStatic = decryptAndHash(msg, 0, sLen);
    mixKey(dh(ephemeralPrivate, remoteStatic));
    return decryptAndHash(msg, sLen, msg.length - sLen);
  }

  /** The transport ciphers after the handshake: [send, receive] for this side. */
  public TransportCiphers split() {
    byte[][] keys = hkdf(ck, new byte[0]);
    CipherState c1 = new CipherState();
    c1.initializeKey(keys[0]);
    CipherState c2 = new CipherState();
    c2.initializeKey(keys[1]);
    return initiator ? new TransportCiphers(c1, c2) : new TransportCiphers(c2, c1);
  }

  private void generateEphemeral() {
    ephemeralPrivate = generateStaticKey(random);
    ephemeralPublic = new byte[DH_BYTES];
    X25519.generatePublicKey(ephemeralPrivate, 0, ephemeralPublic, 0);
  }

  private static byte[] dh(byte[] priv, byte[] pub) {
    byte[] out = new byte[DH_BYTES];
    if (!X25519.calculateAgreement(priv, 0, pub, 0, out, 0)) {
      throw new DecodeException("noise_bad_dh", "low-order X25519 public key");
    }
    return out;
  }

  private void mixHash(byte[] data) {
    SHA256Digest d = new SHA256Digest();
    d.update(h, 0, h.length);
    d.update(data, 0, data.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    h = out;
  }

  private void mixKey(byte[] ikm) {
    byte[][] keys = hkdf(ck, ikm);
    ck = keys[0];
    cipher.initializeKey(keys[1]);
  }

  private byte[] encryptAndHash(byte[] plaintext) {
    byte[] ct = cipher.encrypt(h, plaintext, 0, plaintext.length);
    mixHash(ct);
    return ct;
  }

  private byte[] decryptAndHash(byte[] msg, int off, int len) {
    byte[] pt = cipher.decrypt(h, msg, off, len);
    mixHash(Arrays.copyOfRange(msg, off, off + len));
    return pt;
  }

  private static byte[][] hkdf(byte[] chainingKey, byte[] ikm) {
    byte[] tempKey = hmac(chainingKey, ikm);
    byte[] out1 = hmac(tempKey, new byte[] {1});
    byte[] out2 = hmac(tempKey, concat(out1, new byte[] {2}));
    return new byte[][] {out1, out2};
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    HMac mac = new HMac(new SHA256Digest());
    mac.init(new KeyParameter(key));
    mac.update(data, 0, data.length);
    byte[] out = new byte[32];
    mac.doFinal(out, 0);
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private void requireRole(boolean mustBeInitiator) {
    if (initiator != mustBeInitiator) throw new IllegalStateException("wrong Noise role for this message");
  }
}
