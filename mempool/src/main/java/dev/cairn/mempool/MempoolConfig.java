package dev.cairn.mempool;

/**
 * Mempool bounds.
 *
 * @param txsMax pending transactions in total
 * @param bytesMax encoded bytes of all pending transactions
 * @param txsPerSenderMax pending transactions of one sender (one account cannot crowd out the rest)
 * @param nonceGapMax how far ahead of the account's nonce a pending nonce may be
 */
public record MempoolConfig(int txsMax, long bytesMax, int txsPerSenderMax, int nonceGapMax) {
  public static final MempoolConfig DEFAULT = new MempoolConfig(200_000, 256L * 1024 * 1024, 10_000, 10_000);

  public MempoolConfig {
    if (txsMax < 1 || bytesMax < 1 || txsPerSenderMax < 1 || nonceGapMax < 0) {
      throw new IllegalArgumentException("mempool limits must be positive");
    }
    if (txsPerSenderMax > txsMax) {
      throw new IllegalArgumentException("mempool.txs-per-sender-max must not exceed mempool.txs-max");
    }
  }
}
