package dev.cairn.ledger.store;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.encoding.CanonicalReader;
import dev.cairn.ledger.encoding.CanonicalWriter;
import dev.cairn.ledger.encoding.CodecException;
import dev.cairn.ledger.model.Limits;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.TxPosition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The store's own key and value formats (everything that is not already a canonical ledger object). Each
 * value starts with a format byte so a later schema can tell old values from new ones.
 */
final class StoreCodec {
  static final int FORMAT_V1 = 1;
  /** Metadata keys the store owns start with 0x00; keys given to putMeta start with 0x01. */
  private static final byte INTERNAL_META = 0;
  private static final byte NODE_META = 1;
  static final byte[] META_HEAD = internalMeta("head");
  static final byte[] META_SCHEMA_VERSION = internalMeta("schema_version");
  static final byte[] META_GENESIS_HASH = internalMeta("genesis_hash");
  static final byte[] META_PRUNED = internalMeta("pruned");
  /** u64 height of a state-synced store's first block; absent when the store holds the chain from genesis. */
  static final byte[] META_BASE = internalMeta("base");
  /** Present while the store records stale tree nodes (state pruning on); value: format byte. */
  static final byte[] META_STATE_PRUNING = internalMeta("state_pruning");
  static final int META_KEY_BYTES_MAX = 256;

  private StoreCodec() {}

  private static byte[] internalMeta(String name) {
    byte[] text = name.getBytes(StandardCharsets.US_ASCII);
    byte[] key = new byte[text.length + 1];
    key[0] = INTERNAL_META;
    System.arraycopy(text, 0, key, 1, text.length);
    return key;
  }

  static byte[] nodeMetaKey(String name) {
    byte[] text = name.getBytes(StandardCharsets.UTF_8);
    if (text.length == 0 || text.length > META_KEY_BYTES_MAX) {
      throw new IllegalArgumentException("metadata key must have 1.." + META_KEY_BYTES_MAX + " bytes");
    }
    byte[] key = new byte[text.length + 1];
    key[0] = NODE_META;
    System.arraycopy(text, 0, key, 1, text.length);
    return key;
  }

  /** Heights are big-endian so that key order is height order. */
  static byte[] heightKey(long height) {
    if (height < 0) {
      throw new IllegalArgumentException("height must be non-negative: " + height);
    }
    byte[] key = new byte[8];
    for (int i = 0; i < 8; i++) {
      key[i] = (byte) (height >>> (56 - 8 * i));
    }
    return key;
  }

  static long height(byte[] key) {
    if (key.length != 8) {
      throw new CodecException("height key: expected 8 bytes, got " + key.length);
    }
    long value = 0;
    for (byte b : key) {
      value = (value << 8) | (b & 0xFF);
    }
    if (value < 0) {
      throw new CodecException("height key: negative height");
    }
    return value;
  }

  /** Body: format, u32 count, then each transaction's canonical encoding with a u32 length. */
  static byte[] encodeBody(List<Bytes> encodedTransactions) {
    int size = 5;
    for (Bytes tx : encodedTransactions) {
      size += 4 + tx.size();
    }
    CanonicalWriter w = new CanonicalWriter(size);
    w.u8(FORMAT_V1).u32(encodedTransactions.size());
    for (Bytes tx : encodedTransactions) {
      w.bytes(tx, Limits.TX_BYTES_MAX);
    }
    return w.toByteArray();
  }

  static List<Transaction> decodeBody(byte[] value) {
    CanonicalReader r = new CanonicalReader(value);
    r.expect(FORMAT_V1, "body format");
    int count = r.u32Bounded("transaction count", Limits.BLOCK_TXS_MAX);
    List<Transaction> txs = new ArrayList<>(Math.min(count, 1024));
    for (int i = 0; i < count; i++) {
      txs.add(TransactionCodec.decode(r.bytes("transaction " + i, Limits.TX_BYTES_MAX)));
    }
    r.finish("body");
    return txs;
  }

  /**
   * The transaction at {@code position} of a stored body, decoding only that one: the others are skipped by
   * their length prefixes, so a history page costs one decode per entry whatever the size of its blocks.
   */
  static Transaction decodeBodyAt(byte[] value, int position) {
    CanonicalReader r = new CanonicalReader(value);
    r.expect(FORMAT_V1, "body format");
    int count = r.u32Bounded("transaction count", Limits.BLOCK_TXS_MAX);
    if (position < 0 || position >= count) {
      throw new CodecException("body: no transaction " + position + " in a block of " + count);
    }
    int offset = r.position();
    for (int i = 0; i < position; i++) {
      if (value.length - offset < 4) {
        throw new CodecException("body: truncated before transaction " + (i + 1));
      }
      long length = ((value[offset] & 0xFFL) << 24) | ((value[offset + 1] & 0xFF) << 16)
          | ((value[offset + 2] & 0xFF) << 8) | (value[offset + 3] & 0xFF);
      if (length > Limits.TX_BYTES_MAX || length > value.length - offset - 4) {
        throw new CodecException("body: transaction " + i + " has a bad length " + length);
      }
      offset += 4 + (int) length;
    }
    CanonicalReader at = new CanonicalReader(value, offset, value.length - offset);
    return TransactionCodec.decode(at.bytes("transaction " + position, Limits.TX_BYTES_MAX));
  }

  /** Transaction index value: format, height, position. The block hash is read from the height index. */
  static byte[] encodeTxPosition(long height, int position) {
    return new CanonicalWriter(13).u8(FORMAT_V1).u64(height).u32(position).toByteArray();
  }

  static TxPosition decodeTxPosition(byte[] value) {
    CanonicalReader r = new CanonicalReader(value);
    r.expect(FORMAT_V1, "tx index format");
    long height = r.u64("height");
    int position = r.u32Bounded("position", Limits.BLOCK_TXS_MAX - 1);
    r.finish("tx index entry");
    return new TxPosition(height, position);
  }

  static byte[] encodeHead(ChainHead head) {
    return new CanonicalWriter(73).u8(FORMAT_V1).u64(head.height()).hash(head.hash()).hash(head.stateRoot())
        .toByteArray();
  }

  static ChainHead decodeHead(byte[] value) {
    CanonicalReader r = new CanonicalReader(value);
    r.expect(FORMAT_V1, "head format");
    ChainHead head = new ChainHead(r.u64("height"), r.hash("hash"), r.hash("stateRoot"));
    r.finish("head");
    return head;
  }

  static byte[] encodePruned(PrunedHeights pruned) {
    return new CanonicalWriter(17).u8(FORMAT_V1).u64(pruned.bodiesFrom()).u64(pruned.stateFrom()).toByteArray();
  }

  static PrunedHeights decodePruned(byte[] value) {
    CanonicalReader r = new CanonicalReader(value);
    r.expect(FORMAT_V1, "pruned format");
    PrunedHeights pruned = new PrunedHeights(r.u64("bodiesFrom"), r.u64("stateFrom"));
    r.finish("pruned");
    return pruned;
  }

  /** A stale-node entry: the height that replaced the node, big-endian so entries sort by height, then the node. */
  static byte[] staleKey(long height, byte[] nodeHash) {
    byte[] key = new byte[8 + nodeHash.length];
    System.arraycopy(heightKey(height), 0, key, 0, 8);
    System.arraycopy(nodeHash, 0, key, 8, nodeHash.length);
    return key;
  }

  static long staleHeight(byte[] key) {
    if (key.length != 8 + 32) {
      throw new CodecException("stale node key: expected 40 bytes, got " + key.length);
    }
    return height(java.util.Arrays.copyOf(key, 8));
  }

  static byte[] staleNode(byte[] key) {
    return java.util.Arrays.copyOfRange(key, 8, key.length);
  }

  static byte[] encodeHeight(long height) {
    return heightKey(height);
  }

  static long decodeHeight(byte[] value) {
    return height(value);
  }

  static byte[] encodeSchemaVersion(int version) {
    return new CanonicalWriter(4).u32(version).toByteArray();
  }

  static int decodeSchemaVersion(byte[] value) {
    CanonicalReader r = new CanonicalReader(value);
    int version = r.u32Bounded("schema version", Integer.MAX_VALUE);
    r.finish("schema version");
    return version;
  }
}
