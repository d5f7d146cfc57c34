package dev.cairn.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.execution.ExecutedBlock;
import dev.cairn.ledger.store.fixtures.ChainFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The flat state after any sequence of blocks of writes and deletes equals a plain map, also after reopen. */
class FlatStateProperties {

  /** One state write: key index in a small key space (so keys repeat), and a value or null for delete. */
  record Write(int key, byte[] value) {}

  @Property(tries = 15)
  void flatStateMatchesAMapModel(@ForAll("blocks") List<List<Write>> blocks) throws IOException {
    Path dir = Files.createTempDirectory("cairn-flat-state");
    try {
      ChainFixture fixture = ChainFixture.create(1, 2, 0);
      TreeMap<Hash, Bytes> model = new TreeMap<>();
      try (ChainStore store = ChainStore.open(dir, StoreConfig.small())) {
        ExecutedBlock genesis = fixture.genesis();
        store.commit(genesis, fixture.certify(genesis));
        model.putAll(fixture.state());
        for (List<Write> block : blocks) {
          Map<Hash, Optional<Bytes>> writes = new HashMap<>();
          for (Write write : block) {
            Optional<Bytes> value = Optional.ofNullable(write.value()).map(Bytes::of);
            writes.put(key(write.key()), value);
            value.ifPresentOrElse(v -> model.put(key(write.key()), v), () -> model.remove(key(write.key())));
          }
          ExecutedBlock next = fixture.next(0, writes, Optional.empty());
          store.commit(next, fixture.certify(next));
        }
        assertThat(scan(store)).isEqualTo(model);
      }
      try (ChainStore store = ChainStore.open(dir, StoreConfig.small())) {
        assertThat(scan(store)).isEqualTo(model);
        for (int k = 0; k < 8; k++) {
          assertThat(store.state().get(key(k))).isEqualTo(Optional.ofNullable(model.get(key(k))));
        }
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  private static TreeMap<Hash, Bytes> scan(ChainStore store) {
    TreeMap<Hash, Bytes> flat = new TreeMap<>();
    store.scanState(flat::put);
    return flat;
  }

  private static Hash key(int index) {
    byte[] key = new byte[Hash.SIZE];
    key[0] = (byte) 0xAB;
    key[31] = (byte) index;
    return Hash.wrap(key);
  }

  @Provide
  Arbitrary<List<List<Write>>> blocks() {
    Arbitrary<byte[]> values = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(16);
    Arbitrary<Write> write = net.jqwik.api.Combinators.combine(
        Arbitraries.integers().between(0, 7), values.injectNull(0.3)).as(Write::new);
    return write.list().ofMaxSize(6).list().ofMinSize(1).ofMaxSize(8);
  }
}
