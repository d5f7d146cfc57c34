package dev.cairn.ledger.store;

import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.model.Limits;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.TxParty;
import dev.cairn.ledger.model.TxPosition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The keys and values of the two history families, and the entries one block adds to them. Both keys end in
 * the transaction's position (height u64, index u32, big-endian), so key order under one prefix is chain
 * order and a reverse scan from a cursor pages newest first. Every part of a key has a fixed width or a
 * length prefix, so a prefix names exactly one account or one record: the entries of record "a" are never
 * among those of record "ab".
 */
final class HistoryIndex {
  static final int POSITION_BYTES = 12;
  static final int ACCOUNT_PREFIX_BYTES = Address.SIZE;
  /** owner, u16 key length, at most 256 key bytes, position: 290 bytes at most. */
  static final int RECORD_KEY_BYTES_MAX = Address.SIZE + 2 + Limits.RECORD_KEY_BYTES_MAX + POSITION_BYTES;
  private static final byte[] RECORD_VALUE = {StoreCodec.FORMAT_V1};

  private HistoryIndex() {}

  static byte[] accountPrefix(Address account) {
    return account.bytes().toArray();
  }

  static byte[] recordPrefix(Address owner, String recordKey) {
    byte[] key = recordKey.getBytes(StandardCharsets.UTF_8);
    if (key.length == 0 || key.length > Limits.RECORD_KEY_BYTES_MAX) {
      throw new IllegalArgumentException("record key must have 1.." + Limits.RECORD_KEY_BYTES_MAX + " bytes");
    }
    byte[] prefix = new byte[Address.SIZE + 2 + key.length];
    System.arraycopy(owner.bytes().unsafeArray(), 0, prefix, 0, Address.SIZE);
    prefix[Address.SIZE] = (byte) (key.length >>> 8);
    prefix[Address.SIZE + 1] = (byte) key.length;
    System.arraycopy(key, 0, prefix, Address.SIZE + 2, key.length);
    return prefix;
  }

  /** {@code prefix} followed by the position. */
  static byte[] entryKey(byte[] prefix, long height, int index) {
    byte[] key = Arrays.copyOf(prefix, prefix.length + POSITION_BYTES);
    int at = prefix.length;
    for (int i = 0; i < 8; i++) {
      key[at + i] = (byte) (height >>> (56 - 8 * i));
    }
    for (int i = 0; i < 4; i++) {
      key[at + 8 + i] = (byte) (index >>> (24 - 8 * i));
    }
    return key;
  }

  /** The position at the end of an entry key of {@code prefixBytes}; a key of another length is corruption. */
  static TxPosition position(ColumnFamily family, byte[] key, int prefixBytes) {
    if (key.length != prefixBytes + POSITION_BYTES) {
      throw new StorageException("corrupt key cf=" + family.familyName() + " key=" + RocksStore.hex(key)
          + ": expected " + (prefixBytes + POSITION_BYTES) + " bytes");
    }
    long height = 0;
    for (int i = 0; i < 8; i++) {
      height = (height << 8) | (key[prefixBytes + i] & 0xFF);
    }
    int index = 0;
    for (int i = 0; i < 4; i++) {
      index = (index << 8) | (key[prefixBytes + 8 + i] & 0xFF);
    }
    try {
      return new TxPosition(height, index);
    } catch (IllegalArgumentException e) {
      throw new StorageException("corrupt key cf=" + family.familyName() + " key=" + RocksStore.hex(key) + ": "
          + e.getMessage(), e);
    }
  }

  static byte[] accountValue(Set<TxParty> parties) {
    return new byte[] {StoreCodec.FORMAT_V1, (byte) TxParty.bits(parties)};
  }

  static Set<TxParty> decodeAccountValue(byte[] value) {
    if (value.length != 2 || value[0] != StoreCodec.FORMAT_V1) {
      throw new IllegalArgumentException("account history value: expected format 1 and one byte of parties");
    }
    return TxParty.fromBits(value[1] & 0xFF);
  }

  static Boolean checkRecordValue(byte[] value) {
    if (value.length != 1 || value[0] != StoreCodec.FORMAT_V1) {
      throw new IllegalArgumentException("record history value: expected the format byte 1");
    }
    return Boolean.TRUE;
  }

  /**
   * Adds one block's history entries to {@code batch}: per transaction one account entry for each account it
   * touches, and one record entry for each record_put that succeeded. Each family's keys go in ascending order
   * (the memtable inserts resume from the previous key, as for the block's other families).
   */
  static void addBlock(BatchRecords batch, RocksStore rocks, long height, List<Transaction> txs, List<Receipt> receipts) {
    AccountEntries accounts = new AccountEntries(2 * txs.size() + 1);
    List<byte[]> recordKeys = new ArrayList<>();
    for (int i = 0; i < txs.size(); i++) {
      Transaction tx = txs.get(i);
      int index = i;
      TxParty.visit(tx, (account, bits) -> accounts.add(account, index, bits));
      if (tx.payload() instanceof Payload.RecordPut put && receipts.get(i).isSuccess()) {
        recordKeys.add(entryKey(recordPrefix(tx.senderAddress(), put.key()), height, i));
      }
    }
    var accountFamily = rocks.handle(ColumnFamily.ACCOUNT_HISTORY);
    for (int entry : accounts.ascendingOrder()) {
      batch.put(accountFamily, entryKey(accounts.addresses[entry], height, accounts.positions[entry]),
          ACCOUNT_VALUES[accounts.bits[entry]]);
    }
    recordKeys.sort(Arrays::compareUnsigned);
    var recordFamily = rocks.handle(ColumnFamily.RECORD_HISTORY);
    for (byte[] key : recordKeys) {
      batch.put(recordFamily, key, RECORD_VALUE);
    }
  }

  /** The 16 possible account values, shared: every entry of a block is one of them. */
  private static final byte[][] ACCOUNT_VALUES = new byte[16][];

  static {
    for (int bits = 1; bits < ACCOUNT_VALUES.length; bits++) {
      ACCOUNT_VALUES[bits] = accountValue(TxParty.fromBits(bits));
    }
  }

  /** One block's account entries in primitive arrays: a block of 5,000 transfers makes 10,000 of them. */
  private static final class AccountEntries {
    final byte[][] addresses;
    final int[] positions;
    final int[] bits;
    int count;

    AccountEntries(int capacity) {
      addresses = new byte[capacity][];
      positions = new int[capacity];
      bits = new int[capacity];
    }

    void add(Address account, int position, int partyBits) {
      addresses[count] = account.bytes().unsafeArray();
      positions[count] = position;
      bits[count] = partyBits;
      count++;
    }

    /**
     * Entry numbers in ascending key order, by a primitive sort of each address's leading bits with the
     * entry number in the low bits (as {@link BlockCommit#ascendingOrder}). One account's entries are made in
     * position order, so where the leading bits tie the entry number keeps them ascending; two accounts whose
     * leading ~46 bits tie may come in either order, which costs the memtable a little and nothing else.
     */
    int[] ascendingOrder() {
      int indexBits = 32 - Integer.numberOfLeadingZeros(Math.max(1, count));
      long indexMask = (1L << indexBits) - 1;
      long[] packed = new long[count];
      for (int i = 0; i < count; i++) {
        byte[] address = addresses[i];
        long prefix = 0;
        for (int b = 0; b < Long.BYTES; b++) {
          prefix = (prefix << 8) | (address[b] & 0xFF);
        }
        packed[i] = ((prefix & ~indexMask) | i) ^ Long.MIN_VALUE;
      }
      Arrays.sort(packed);
      int[] order = new int[count];
      for (int i = 0; i < count; i++) {
        order[i] = (int) ((packed[i] ^ Long.MIN_VALUE) & indexMask);
      }
      return order;
    }
  }
}
