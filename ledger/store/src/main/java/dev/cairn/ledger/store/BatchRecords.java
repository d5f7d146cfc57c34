package dev.cairn.ledger.store;

import java.util.Arrays;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.WriteBatch;

/**
 * The records of one RocksDB write batch, encoded in Java in RocksDB's serialized batch format and handed to
 * RocksDB in one piece ({@code new WriteBatch(byte[])}) instead of one JNI call per key. A block writes
 * ~110,000 keys; each {@code WriteBatch.put} crossed into native code, copied key and value and appended to
 * a native string that kept reallocating as it grew, which cost more CPU than building the same bytes here.
 *
 * <p>The format (RocksDB {@code db/write_batch.cc}): a 12-byte header, sequence number (u64 little-endian,
 * 0: RocksDB assigns it when the batch is written) and record count (u32 little-endian), then per record a
 * tag byte, for a family other than the default one a varint32 family id, then the key and, for a put, the
 * value, each as a varint32 length and the bytes. Tags: put 0x01, delete 0x00 in the default family; put
 * 0x05, delete 0x04 with a family id. {@code BatchRecordsTest} checks the result byte for byte against
 * batches built with {@code put}/{@code delete}.
 *
 * <p>Not thread-safe; one instance builds one batch.
 */
final class BatchRecords {
  static final int HEADER_BYTES = 12;
  private static final byte TYPE_DELETION = 0x00;
  private static final byte TYPE_VALUE = 0x01;
  private static final byte TYPE_FAMILY_DELETION = 0x04;
  private static final byte TYPE_FAMILY_VALUE = 0x05;
  /** A Java array's practical size limit; a batch this large is a bug in the caller. */
  private static final int BATCH_BYTES_MAX = Integer.MAX_VALUE - 64;

  private byte[] buffer;
  private int length = HEADER_BYTES;
  private int count;

  /** {@code expectedBytes}: a size hint (records only); the buffer grows past it as needed. */
  BatchRecords(int expectedBytes) {
    buffer = new byte[HEADER_BYTES + Math.max(0, expectedBytes)];
  }

  /** The encoded size of a put of {@code keyBytes} and {@code valueBytes} into a non-default family (for presizing). */
  static int putBytes(int familyId, int keyBytes, int valueBytes) {
    return 1 + varintBytes(familyId) + varintBytes(keyBytes) + keyBytes + varintBytes(valueBytes) + valueBytes;
  }

  void put(ColumnFamilyHandle family, byte[] key, byte[] value) {
    int id = family.getID();
    ensure(putBytes(id, key.length, value.length));
    tag(id, TYPE_VALUE, TYPE_FAMILY_VALUE);
    slice(key);
    slice(value);
    count++;
  }

  void delete(ColumnFamilyHandle family, byte[] key) {
    int id = family.getID();
    ensure(1 + varintBytes(id) + varintBytes(key.length) + key.length);
    tag(id, TYPE_DELETION, TYPE_FAMILY_DELETION);
    slice(key);
    count++;
  }

  /**
   * A builder holding these records with room for exactly {@code moreBytes} more: filled with that many
   * bytes of records, its serialized batch is its buffer, not a copy. This builder is not used afterwards.
   */
  BatchRecords followedBy(long moreBytes) {
    long total = length + moreBytes;
    if (moreBytes < 0 || total > BATCH_BYTES_MAX) {
      throw new IllegalStateException("write batch of " + total + " bytes exceeds " + BATCH_BYTES_MAX);
    }
    BatchRecords next = new BatchRecords(0);
    next.buffer = Arrays.copyOf(buffer, (int) total);
    next.length = length;
    next.count = count;
    return next;
  }

  int count() {
    return count;
  }

  /** Bytes of records so far (the 12-byte header not counted). */
  long recordBytes() {
    return length - HEADER_BYTES;
  }

  /** The serialized batch: header (sequence 0, record count) and records. Ends this builder's use. */
  byte[] serialized() {
    // Presized exactly, the buffer itself is the batch; otherwise one copy trims it (a few ms for 10 MiB).
    byte[] out = length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
    // Sequence number 0 (bytes 0..7 stay zero); record count little-endian.
    out[8] = (byte) count;
    out[9] = (byte) (count >>> 8);
    out[10] = (byte) (count >>> 16);
    out[11] = (byte) (count >>> 24);
    return out;
  }

  /** A native batch holding these records; the caller closes it. */
  WriteBatch toWriteBatch() {
    return new WriteBatch(serialized());
  }

  private void tag(int familyId, byte defaultFamilyType, byte familyType) {
    if (familyId == 0) {
      buffer[length++] = defaultFamilyType;
    } else {
      buffer[length++] = familyType;
      varint(familyId);
    }
  }

  private void slice(byte[] bytes) {
    varint(bytes.length);
    System.arraycopy(bytes, 0, buffer, length, bytes.length);
    length += bytes.length;
  }

  private void varint(int value) {
    int rest = value;
    while ((rest & ~0x7F) != 0) {
      buffer[length++] = (byte) ((rest & 0x7F) | 0x80);
      rest >>>= 7;
    }
    buffer[length++] = (byte) rest;
  }

  static int varintBytes(int value) {
    int bytes = 1;
    int rest = value >>> 7;
    while (rest != 0) {
      bytes++;
      rest >>>= 7;
    }
    return bytes;
  }

  private void ensure(int more) {
    long needed = (long) length + more;
    if (needed > BATCH_BYTES_MAX) {
      throw new IllegalStateException("write batch would exceed " + BATCH_BYTES_MAX + " bytes");
    }
    if (needed > buffer.length) {
      buffer = Arrays.copyOf(buffer, (int) Math.min(BATCH_BYTES_MAX, Math.max(needed, 2L * buffer.length)));
    }
  }
}
