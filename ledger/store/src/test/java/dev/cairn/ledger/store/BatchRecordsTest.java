package dev.cairn.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

class BatchRecordsTest {
  static {
    RocksDB.loadLibrary();
  }

  @TempDir Path dir;

  @Test
  void serializedRecordsEqualTheBatchRocksDbBuildsFromPutsAndDeletes() throws RocksDBException {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    try (Families families = Families.open(dir)) {
      List<ColumnFamilyHandle> handles = families.handles;
      BatchRecords records = new BatchRecords(random.nextInt(64));
      try (WriteBatch expected = new WriteBatch()) {
        for (int i = 0; i < 2_000; i++) {
          ColumnFamilyHandle family = handles.get(random.nextInt(handles.size()));
          // Lengths across the one-, two- and three-byte varint ranges, empty included.
          byte[] key = bytes(random, random.nextInt(8) == 0 ? random.nextInt(300) : 1 + random.nextInt(40));
          if (random.nextInt(5) == 0) {
            expected.delete(family, key);
            records.delete(family, key);
          } else {
            int valueLength = random.nextInt(50) == 0 ? 16_384 + random.nextInt(5_000) : random.nextInt(200);
            byte[] value = bytes(random, valueLength);
            expected.put(family, key, value);
            records.put(family, key, value);
          }
        }
        assertThat(records.count()).as("seed=%d", seed).isEqualTo(expected.count());
        try (WriteBatch built = records.toWriteBatch()) {
          assertThat(built.data()).as("seed=%d", seed).isEqualTo(expected.data());
          assertThat(built.count()).as("seed=%d", seed).isEqualTo(expected.count());
        }
      }
    }
  }

  @Test
  void aWrittenSerializedBatchIsReadBackLikeAnyOther() throws RocksDBException {
    try (Families families = Families.open(dir)) {
      ColumnFamilyHandle family = families.handles.get(2);
      byte[] key = "node".getBytes(StandardCharsets.US_ASCII);
      byte[] gone = "gone".getBytes(StandardCharsets.US_ASCII);
      families.db.put(family, gone, new byte[] {9});
      BatchRecords records = new BatchRecords(0);
      records.put(family, key, new byte[] {1, 2, 3});
      records.put(families.handles.get(0), key, new byte[] {4});
      records.delete(family, gone);
      try (WriteBatch batch = records.toWriteBatch(); WriteOptions sync = new WriteOptions().setSync(true)) {
        families.db.write(sync, batch);
      }
      assertThat(families.db.get(family, key)).containsExactly(1, 2, 3);
      assertThat(families.db.get(families.handles.get(0), key)).containsExactly(4);
      assertThat(families.db.get(family, gone)).isNull();
    }
  }

  @Test
  void recordsFollowedByExactlySizedPutsAreTheSameBatchWithoutACopy() throws RocksDBException {
    try (Families families = Families.open(dir)) {
      ColumnFamilyHandle one = families.handles.get(1);
      ColumnFamilyHandle two = families.handles.get(2);
      BatchRecords first = new BatchRecords(0);
      first.put(one, new byte[] {1}, new byte[] {2, 3});
      first.delete(families.handles.get(0), new byte[] {4});
      byte[][] keys = {new byte[32], new byte[32], new byte[32]};
      byte[][] values = {new byte[65], new byte[0], new byte[200]};
      long more = 0;
      for (int i = 0; i < keys.length; i++) {
        keys[i][0] = (byte) i;
        more += BatchRecords.putBytes(two.getID(), keys[i].length, values[i].length);
      }
      BatchRecords batch = first.followedBy(more);
      for (int i = 0; i < keys.length; i++) {
        batch.put(two, keys[i], values[i]);
      }
      try (WriteBatch expected = new WriteBatch()) {
        expected.put(one, new byte[] {1}, new byte[] {2, 3});
        expected.delete(families.handles.get(0), new byte[] {4});
        for (int i = 0; i < keys.length; i++) {
          expected.put(two, keys[i], values[i]);
        }
        byte[] serialized = batch.serialized();
        assertThat(serialized).isEqualTo(expected.data());
        assertThat(batch.serialized()).as("an exactly sized buffer is the batch itself").isSameAs(serialized);
      }
    }
  }

  @Test
  void putBytesIsTheEncodedSizeOfAPut() {
    BatchRecords records = new BatchRecords(0);
    assertThat(records.serialized()).hasSize(BatchRecords.HEADER_BYTES);
    assertThat(BatchRecords.putBytes(7, 32, 65)).isEqualTo(1 + 1 + 1 + 32 + 1 + 65);
    assertThat(BatchRecords.putBytes(200, 32, 300)).isEqualTo(1 + 2 + 1 + 32 + 2 + 300);
    assertThat(BatchRecords.varintBytes(0)).isEqualTo(1);
    assertThat(BatchRecords.varintBytes(127)).isEqualTo(1);
    assertThat(BatchRecords.varintBytes(128)).isEqualTo(2);
    assertThat(BatchRecords.varintBytes(16_384)).isEqualTo(3);
    assertThat(BatchRecords.varintBytes(-1)).isEqualTo(5);
  }

  private static byte[] bytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  /** A plain RocksDB with the default family and two more, so records carry family ids 0, 1 and 2. */
  private record Families(RocksDB db, DBOptions options, List<ColumnFamilyHandle> handles) implements AutoCloseable {
    static Families open(Path dir) throws RocksDBException {
      DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
      List<ColumnFamilyDescriptor> descriptors = List.of(
          new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY),
          new ColumnFamilyDescriptor("one".getBytes(StandardCharsets.US_ASCII)),
          new ColumnFamilyDescriptor("two".getBytes(StandardCharsets.US_ASCII)));
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles);
      return new Families(db, options, handles);
    }

    @Override
    public void close() {
      handles.forEach(ColumnFamilyHandle::close);
      db.close();
      options.close();
    }
  }
}
