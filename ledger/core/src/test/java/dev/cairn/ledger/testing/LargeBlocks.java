package dev.cairn.ledger.testing;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.Limits;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import java.util.ArrayList;
import java.util.List;

/**
 * Blocks whose canonical encoding is exactly a given number of bytes: full RECORD_PUT transactions (the
 * largest value a member may write) and one shorter one for the remainder. What any member account can make
 * a proposer include; the signatures are placeholders (codec and consensus never look inside a transaction).
 */
public final class LargeBlocks {
  private static final KeyPair MEMBER = KeyPair.fromSeedText("large-block-member");
  private static final Signature PLACEHOLDER = new Signature(Bytes.wrap(new byte[Signature.SIZE]));

  private LargeBlocks() {}

  /** {@code template}'s header (with the tx root of the new transactions) and transactions filling {@code encodedBytes}. */
  public static Block filled(BlockHeader template, int encodedBytes) {
    int empty = encodedSize(template, List.of());
    int perTx = encodedSize(template, List.of(tx(0, Limits.RECORD_VALUE_BYTES_MAX))) - empty;
    int perEmptyTx = encodedSize(template, List.of(tx(0, 0))) - empty;
    if (encodedBytes < empty) {
      throw new IllegalArgumentException("an empty block already takes " + empty + " bytes");
    }
    List<Transaction> txs = new ArrayList<>();
    int size = empty;
    while (encodedBytes - size >= perTx) {
      txs.add(tx(txs.size(), Limits.RECORD_VALUE_BYTES_MAX));
      size += perTx;
    }
    int rest = encodedBytes - size;
    if (rest >= perEmptyTx) {
      txs.add(tx(txs.size(), rest - perEmptyTx));
    }
    Block block = withTxs(template, txs);
    int actual = LedgerCodec.encode(block).length;
    if (actual > encodedBytes || actual <= encodedBytes - perEmptyTx) {
      throw new IllegalStateException("filled block has " + actual + " bytes, wanted " + encodedBytes);
    }
    return block;
  }

  private static Transaction tx(int nonce, int valueBytes) {
    byte[] value = new byte[valueBytes];
    if (valueBytes > 0) {
      value[0] = (byte) nonce;
    }
    Payload payload = new Payload.RecordPut("k".repeat(Limits.RECORD_KEY_BYTES_MAX - 8) + String.format("%08d", nonce),
        Bytes.wrap(value));
    return new Transaction("cairn-sim", MEMBER.publicKey(), nonce, payload, PLACEHOLDER);
  }

  private static Block withTxs(BlockHeader h, List<Transaction> txs) {
    BlockHeader header = new BlockHeader(h.height(), h.parentHash(), h.timestampMillis(), h.proposer(), h.round(),
        Block.txRoot(txs), h.receiptsRoot(), h.stateRoot(), h.validatorSetHash());
    return new Block(header, txs);
  }

  private static int encodedSize(BlockHeader template, List<Transaction> txs) {
    return LedgerCodec.encode(new Block(template, txs)).length;
  }
}
