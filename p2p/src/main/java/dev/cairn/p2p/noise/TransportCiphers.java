package dev.cairn.p2p.noise;

/**
 * The two Noise transport ciphers of one connection. Each frame is {@code u16 length || ciphertext} with
 * at most 65535 ciphertext bytes, so at most {@link #PLAINTEXT_BYTES_MAX} plaintext bytes per frame.
 */
public final class TransportCiphers {
  public static final int FRAME_BYTES_MAX = 65535;
  public static final int PLAINTEXT_BYTES_MAX = FRAME_BYTES_MAX - CipherState.TAG_BYTES;
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

  /** Decrypts one frame body; a bad tag raises DecodeException {@code noise_bad_tag}. */
  public byte[] decrypt(byte[] ciphertext) {
    return receive.decrypt(NO_AD, ciphertext, 0, ciphertext.length);
  }
}
