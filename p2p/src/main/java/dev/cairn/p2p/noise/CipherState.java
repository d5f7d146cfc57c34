package dev.cairn.p2p.noise;

import dev.cairn.p2p.DecodeException;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Noise CipherState for ChaChaPoly: a 32-byte key and a 64-bit nonce, sent as 4 zero bytes followed by the
 * little-endian counter. Without a key, encryption is the identity (handshake message 1).
 */
final class CipherState {
  static final int TAG_BYTES = 16;

  private byte[] key;
  private long nonce;
  private final ChaCha20Poly1305 aead = new ChaCha20Poly1305();

  void initializeKey(byte[] key32) {
    this.key = key32.clone();
    this.nonce = 0;
  }

  boolean hasKey() {
    return key != null;
  }

  byte[] encrypt(byte[] ad, byte[] plaintext, int off, int len) {
    if (key == null) return java.util.Arrays.copyOfRange(plaintext, off, off + len);
    aead.init(true, params(ad));
    byte[] out = new byte[len + TAG_BYTES];
    int n = aead.processBytes(plaintext, off, len, out, 0);
    try {
      aead.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
    }
    return out;
  }

  byte[] decrypt(byte[] ad, byte[] ciphertext, int off, int len) {
    if (key == null) return java.util.Arrays.copyOfRange(ciphertext, off, off + len);
    if (len < TAG_BYTES) throw new DecodeException("noise_short_ciphertext", len + " bytes");
    aead.init(false, params(ad));
    byte[] out = new byte[len - TAG_BYTES];
    try {
      int n = aead.processBytes(ciphertext, off, len, out, 0);
      aead.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      throw new DecodeException("noise_bad_tag", "authentication failed at nonce " + nonce);
    }
    return out;
  }

  private AEADParameters params(byte[] ad) {
    if (nonce == -1L) throw new IllegalStateException("Noise nonce exhausted");
    byte[] n = new byte[12];
    long v = nonce++;
    for (int i = 0; i < 8; i++) n[4 + i] = (byte) (v >>> (8 * i));
    return new AEADParameters(new KeyParameter(key), TAG_BYTES * 8, n, ad);
  }
}
