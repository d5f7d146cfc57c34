package dev.cairn.network;

/**
 * How transactions admitted from JSON-RPC are batched into gossip messages: a batch is published at
 * {@code txsPerBatchMax} transactions, before it would pass {@code batchBytesMax} encoded bytes, or
 * {@code lingerMillis} after its first transaction. The bounds the batch wire format sets (most transactions,
 * most bytes, room for one transaction of the largest size) live beside that format in
 * {@link NetworkLimits}, which checks these values when the network is built.
 *
 * @param txsPerBatchMax most transactions in one gossip message
 * @param batchBytesMax most encoded bytes of one batch (at least one transaction of the largest size)
 * @param lingerMillis longest a transaction waits for others before its batch is published
 * @param batchesQueuedMax batches waiting to be published before further ones are dropped from gossip
 */
public record TxBatching(int txsPerBatchMax, int batchBytesMax, long lingerMillis, int batchesQueuedMax) {
  public TxBatching {
    if (txsPerBatchMax < 1) {
      throw new IllegalArgumentException("p2p.tx-batch-txs-max must be >= 1, got " + txsPerBatchMax);
    }
    if (batchBytesMax < 1) {
      throw new IllegalArgumentException("p2p.tx-batch-bytes-max must be >= 1, got " + batchBytesMax);
    }
    if (lingerMillis < 0 || lingerMillis > 1_000) {
      throw new IllegalArgumentException("p2p.tx-batch-linger-millis must be in [0, 1000], got " + lingerMillis);
    }
    if (batchesQueuedMax < 1) {
      throw new IllegalArgumentException("p2p.tx-batch-queue-max must be >= 1, got " + batchesQueuedMax);
    }
  }

  public static final TxBatching DEFAULT = new TxBatching(1_000, 512 * 1024, 10, 64);
}
