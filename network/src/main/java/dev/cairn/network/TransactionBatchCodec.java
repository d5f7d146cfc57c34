package dev.cairn.network;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.encoding.CanonicalReader;
import dev.cairn.ledger.encoding.CanonicalWriter;
import dev.cairn.ledger.encoding.CodecException;
import dev.cairn.ledger.model.Limits;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The payload of one message on the transactions topic: several signed transactions, each in its canonical
 * encoding. {@code version u8 = 1 | count u32 (1..TXS_PER_BATCH_MAX) | count x (length u32 (1..TX_BYTES_MAX)
 * | bytes)}, nothing after. Every field has a fixed width, so a list of transactions has exactly one
 * encoding and equal batches have equal content ids. Decoding untrusted bytes never throws.
 */
public final class TransactionBatchCodec {
  static final int VERSION = 1;
  /** Bytes of a batch before its first transaction: version and count. */
  public static final int HEADER_BYTES = 1 + 4;
  /** Bytes each transaction adds besides its own: its length. */
  public static final int PER_TX_OVERHEAD_BYTES = 4;

  private TransactionBatchCodec() {}

  /** Why a received batch was refused. */
  public enum Reason {
    TOO_LARGE,
    MALFORMED
  }

  public sealed interface Decoding {
    record Decoded(List<Bytes> transactions) implements Decoding {
      public Decoded {
        transactions = List.copyOf(transactions);
      }
    }

    record Malformed(Reason reason, String detail) implements Decoding {
      public Malformed {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
      }
    }
  }

  /** The encoded size of a batch holding transactions of these total bytes. */
  public static long encodedBytes(int txCount, long txBytes) {
    return HEADER_BYTES + (long) txCount * PER_TX_OVERHEAD_BYTES + txBytes;
  }

  /** Encodes our own batch; a batch outside the protocol limits is a bug of the batcher. */
  public static byte[] encode(List<Bytes> transactions) {
    if (transactions.isEmpty() || transactions.size() > NetworkLimits.TXS_PER_BATCH_MAX) {
      throw new IllegalStateException(
          "batch of " + transactions.size() + " transactions, need 1.." + NetworkLimits.TXS_PER_BATCH_MAX);
    }
    long txBytes = 0;
    for (Bytes tx : transactions) {
      if (tx.size() < 1 || tx.size() > Limits.TX_BYTES_MAX) {
        throw new IllegalStateException("transaction of " + tx.size() + " bytes in a batch");
      }
      txBytes += tx.size();
    }
    long size = encodedBytes(transactions.size(), txBytes);
    if (size > NetworkLimits.BATCH_BYTES_MAX) {
      throw new IllegalStateException("batch of " + size + " bytes exceeds " + NetworkLimits.BATCH_BYTES_MAX);
    }
    CanonicalWriter out = new CanonicalWriter((int) size).u8(VERSION).u32(transactions.size());
    for (Bytes tx : transactions) {
      out.bytes(tx, Limits.TX_BYTES_MAX);
    }
    return out.toByteArray();
  }

  public static Decoding decode(byte[] bytes) {
    if (bytes.length > NetworkLimits.BATCH_BYTES_MAX) {
      return new Decoding.Malformed(Reason.TOO_LARGE, bytes.length + " bytes exceed " + NetworkLimits.BATCH_BYTES_MAX);
    }
    try {
      CanonicalReader in = new CanonicalReader(bytes);
      in.expect(VERSION, "version");
      int count = in.u32Bounded("count", NetworkLimits.TXS_PER_BATCH_MAX);
      if (count < 1) {
        throw new CodecException("count: an empty batch");
      }
      // Each transaction takes at least 5 bytes: a count beyond what is left is refused before allocating.
      if ((long) count * (PER_TX_OVERHEAD_BYTES + 1) > in.remaining()) {
        throw new CodecException("count: " + count + " transactions cannot fit " + in.remaining() + " bytes");
      }
      List<Bytes> txs = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        Bytes tx = in.bytes("transaction " + i, Limits.TX_BYTES_MAX);
        if (tx.size() == 0) {
          throw new CodecException("transaction " + i + ": empty");
        }
        txs.add(tx);
      }
      in.finish("transaction_batch");
      return new Decoding.Decoded(txs);
    } catch (CodecException e) {
      return new Decoding.Malformed(Reason.MALFORMED, e.getMessage());
    }
  }
}
