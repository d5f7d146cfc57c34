package dev.cairn.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.ledger.execution.ExecutedBlock;
import dev.cairn.ledger.store.fixtures.ChainFixture;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the store does with a damaged directory: a write-ahead log corrupt in the middle (acknowledged writes
 * after it would be lost) and a flat state that disagrees with the head both refuse to open, with one line
 * saying what to do, instead of opening on less than was acknowledged.
 */
class StoreDurabilityTest {
  private static final StoreConfig CONFIG = StoreConfig.small();

  @TempDir Path dir;

  private static void commit(ChainStore store, ChainFixture fixture, int blocks) {
    ExecutedBlock genesis = fixture.genesis();
    store.commit(genesis, fixture.certify(genesis));
    for (int i = 0; i < blocks; i++) {
      ExecutedBlock next = fixture.next(3);
      store.commit(next, fixture.certify(next));
    }
  }

  /** The directory as a power cut would leave it: every commit synced to the WAL, nothing flushed. Returns the WAL. */
  private Path crashedCopy(Path crashed, long seed) throws IOException {
    Path live = dir.resolve("live-" + seed);
    ChainStore store = ChainStore.open(live, CONFIG);
    try {
      commit(store, ChainFixture.create(4, 6, seed), 10);
      copy(live, crashed);
    } finally {
      store.close();
    }
    try (Stream<Path> files = Files.list(crashed)) {
      Path wal = files.filter(p -> p.toString().endsWith(".log") && !p.getFileName().toString().startsWith("LOG"))
          .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
      assertThat(Files.size(wal)).as("the WAL holds the commits").isGreaterThan(4096);
      return wal;
    }
  }

  private static void flipByte(Path file, long at) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0xFF);
    }
  }

  @Test
  void aWalCorruptInTheMiddleRefusesToOpen() throws IOException {
    Path crashed = dir.resolve("crashed");
    Path wal = crashedCopy(crashed, 11);
    flipByte(wal, Files.size(wal) / 3);
    assertThatThrownBy(() -> ChainStore.open(crashed, CONFIG).close())
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("write-ahead log")
        .hasMessageContaining("re-sync from peers");
  }

  @Test
  void aWalWhoseLastRecordIsCorruptRefusesToOpen() throws IOException {
    Path crashed = dir.resolve("crashed-tail");
    Path wal = crashedCopy(crashed, 14);
    flipByte(wal, Files.size(wal) - 5); // inside the last, complete record: a synced write went bad
    assertThatThrownBy(() -> ChainStore.open(crashed, CONFIG).close())
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("write-ahead log");
  }

  @Test
  void aWalCutShortInItsLastRecordOpensAtTheLastCompleteCommit() throws IOException {
    // A process killed inside a write leaves a record cut short; that write was never acknowledged.
    Path crashed = dir.resolve("crashed-torn");
    Path wal = crashedCopy(crashed, 15);
    try (RandomAccessFile f = new RandomAccessFile(wal.toFile(), "rw")) {
      f.setLength(f.length() - 7);
    }
    try (ChainStore store = ChainStore.open(crashed, CONFIG)) {
      assertThat(store.head()).isPresent();
      assertThat(store.head().get().height()).as("the last commit was cut").isEqualTo(9);
    }
  }

  @Test
  void aFlatStateThatDisagreesWithTheHeadRefusesToOpen() {
    try (ChainStore store = ChainStore.open(dir, CONFIG)) {
      commit(store, ChainFixture.create(4, 6, 12), 4);
    }
    try (RocksStore rocks = RocksStore.open(dir, CONFIG)) {
      byte[][] first = new byte[1][];
      rocks.iterate(ColumnFamily.FLAT_STATE, it -> {
        it.seekToFirst();
        first[0] = it.key();
        return null;
      });
      rocks.putSynced(ColumnFamily.FLAT_STATE, first[0], new byte[] {1, 2, 3});
    }
    assertThatThrownBy(() -> ChainStore.open(dir, CONFIG).close())
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("does not match head")
        .hasMessageContaining("verify-chain");
  }

  @Test
  void anIntactStoreOpens() {
    try (ChainStore store = ChainStore.open(dir, CONFIG)) {
      commit(store, ChainFixture.create(4, 6, 13), 4);
    }
    try (ChainStore store = ChainStore.open(dir, CONFIG)) {
      assertThat(store.head()).isPresent();
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    List<Path> files;
    try (Stream<Path> list = Files.list(from)) {
      files = list.filter(p -> !p.getFileName().toString().equals("LOCK")).toList();
    }
    for (Path p : files) Files.copy(p, to.resolve(p.getFileName()));
  }
}
