package dev.cairn.p2p.noise;

/**
 * The two Noise transport ciphers of one connection. Each frame is {@code u16 length || ciphertext} with
 * at most 65535 ciphertext bytes, so at most {@link #PLAINTEXT_BYTES_MAX} plaintext bytes per frame.
 */
public final class TransportCiphers {
  public static final int FRAME_BYTES_MAX = 65535;
  public static final int TAG_BYTES = CipherState.TAG_BYTES;
  public static final int PLAINTEXT_BYTES_MAX = FRAME_BYTES_MAX - TAG_BYTES;
  private static final byte[] NO_AD = new byte[0];

  private final CipherState send;
  private final CipherState receive;

  TransportCiphers(CipherState send, CipherState receive) {
    this.send = send;
    this.receive = receive;
  }

  public byte[] encrypt(byte[] plaintext, int off, int len) {
    if (len > PLAINTEXT_BYTES_MAX) throw new IllegalArgumentException("Noise plaintext too long: " + len);
    return send.encrypt(NO_AD, plaintext, off, len);
  }

  /**
   * Encrypts {@code len} plaintext bytes straight into {@code out} at {@code outOff} (no intermediate
   * array); returns the ciphertext length, {@code len + 16}.
   */
  public int encryptInto(byte[] plaintext, int off, int len, byte[] out, int outOff) {
    if (len > PLAINTEXT_BYTES_MAX) throw new IllegalArgumentException("Noise plaintext too long: " + len);
    return send.encryptInto(NO_AD, plaintext, off, len, out, outOff);
  }

  /**
   * Decrypts one frame body of {@code len} bytes straight into {@code out} at {@code outOff}; returns the
   * plaintext length, {@code len - 16}. A bad tag raises DecodeException {@code noise_bad_tag}.
   */
  public int decryptInto(byte[] ciphertext, int off, int len, byte[] out, int outOff) {
    return receive.decryptInto(NO_AD, ciphertext, off, len, out, outOff);
  }

  /** Decrypts one frame body; a bad tag raises DecodeException {@code noise_bad_tag}. */
  public byte[] decrypt(byte[] ciphertext) {
    return receive.decrypt(NO_AD, ciphertext, 0, ciphertext.length);
  }
}
