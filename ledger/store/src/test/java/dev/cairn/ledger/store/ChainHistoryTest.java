package dev.cairn.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.execution.BlockExecutor;
import dev.cairn.ledger.execution.BlockLimits;
import dev.cairn.ledger.execution.ExecutedBlock;
import dev.cairn.ledger.execution.SignatureCheck;
import dev.cairn.ledger.model.AccountActivity;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.HistoryPage;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.ReceiptCode;
import dev.cairn.ledger.model.RecordChange;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.TxParty;
import dev.cairn.ledger.model.TxPosition;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.SparseMerkleTree;
import dev.cairn.ledger.store.fixtures.ChainFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The history families on a real RocksDB, filled by blocks the real state transition built: pages come newest
 * first and, followed by their cursors, list exactly what a simple walk over the stored blocks finds; the
 * entries ride in the block's own batch; a store of the schema before them is reindexed at open.
 */
class ChainHistoryTest {
  private static final int ACCOUNTS = 4;

  @TempDir Path dir;
  private ChainFixture fixture;
  private BlockExecutor executor;
  private final Map<Address, Long> nonces = new HashMap<>();
  private final KeyPair stranger = KeyPair.fromSeedText("history-stranger");

  @BeforeEach
  void setUp() {
    fixture = ChainFixture.create(1, ACCOUNTS, 5);
    executor = new BlockExecutor(ChainFixture.CHAIN_ID, BlockLimits.CODEC_MAX, SignatureCheck.VERIFY_EACH);
  }

  private KeyPair account(int i) {
    return fixture.account(i);
  }

  private Transaction tx(KeyPair sender, Payload payload) {
    long nonce = nonces.merge(sender.address(), 1L, Long::sum) - 1;
    return Transaction.sign(ChainFixture.CHAIN_ID, sender, nonce, payload);
  }

  private ExecutedBlock commit(ChainStore store, List<Transaction> txs) {
    ChainHead head = store.head().orElseThrow();
    BlockHeader parent = store.header(head.hash()).orElseThrow();
    ValidatorSet validators = store.validatorsAt(head.height() + 1).orElseThrow();
    ExecutedBlock built = executor.build(parent, store.state(), new SparseMerkleTree(store.nodes(), head.stateRoot()),
        validators, txs, validators.proposer(head.height() + 1, 0), 0, parent.timestampMillis() + 1000);
    assertThat(built.block().transactions()).as("every transaction included").hasSize(txs.size());
    store.commit(built, fixture.certify(built.block().hash(), validators.validators()));
    return built;
  }

  private static Payload put(String key, String value) {
    return new Payload.RecordPut(key, Bytes.wrap(value.getBytes(StandardCharsets.UTF_8)));
  }

  /** Twelve blocks of transfers, self-transfers, record puts (one by a non-member), role grants that fail. */
  private List<ExecutedBlock> commitMixedChain(ChainStore store) {
    ExecutedBlock genesis = fixture.genesis();
    store.commit(genesis, fixture.certify(genesis));
    List<ExecutedBlock> blocks = new ArrayList<>(List.of(genesis));
    for (int b = 0; b < 12; b++) {
      List<Transaction> txs = new ArrayList<>();
      txs.add(tx(account(0), new Payload.Transfer(account(1 + b % 3).address(), 5)));
      txs.add(tx(account(1), put("doc", "v" + b)));
      if (b % 3 == 0) {
        txs.add(tx(account(2), new Payload.Transfer(account(2).address(), 1)));
        txs.add(tx(account(1), put("do", "short " + b)));
        txs.add(tx(account(1), put("doc2", "long " + b)));
      }
      if (b % 4 == 1) {
        txs.add(tx(account(3), new Payload.RoleGrant(account(0).address(), Role.ADMIN)));
        txs.add(tx(stranger, put("doc", "not a member")));
      }
      blocks.add(commit(store, txs));
    }
    return blocks;
  }

  /** The reference: every transaction of the stored blocks that touches {@code account}, newest first. */
  private static List<TxPosition> expectedActivity(List<ExecutedBlock> blocks, Address account) {
    List<TxPosition> out = new ArrayList<>();
    for (ExecutedBlock block : blocks) {
      List<Transaction> txs = block.block().transactions();
      for (int i = 0; i < txs.size(); i++) {
        if (TxParty.of(txs.get(i)).containsKey(account)) {
          out.add(new TxPosition(block.height(), i));
        }
      }
    }
    Collections.reverse(out);
    return out;
  }

  private static <T> List<T> pageThrough(Function<Optional<TxPosition>, HistoryPage<T>> fetch, int limit,
      Function<T, TxPosition> position) {
    List<T> all = new ArrayList<>();
    Optional<TxPosition> cursor = Optional.empty();
    for (int pages = 0; pages < 1000; pages++) {
      HistoryPage<T> page = fetch.apply(cursor);
      assertThat(page.entries()).hasSizeLessThanOrEqualTo(limit);
      all.addAll(page.entries());
      if (page.next().isEmpty()) {
        return all;
      }
      assertThat(page.entries()).hasSize(limit);
      assertThat(page.next()).contains(position.apply(page.entries().get(page.entries().size() - 1)));
      cursor = page.next();
    }
    throw new AssertionError("paging did not end");
  }

  @Test
  void accountHistoryPagesNewestFirstAndMatchesTheBlocks() {
    try (ChainStore store = ChainStore.open(dir, StoreConfig.small())) {
      List<ExecutedBlock> blocks = commitMixedChain(store);
      List<Address> accounts = List.of(account(0).address(), account(1).address(), account(2).address(),
          account(3).address(), stranger.address(), KeyPair.fromSeedText("never-seen").address());
      for (Address address : accounts) {
        List<TxPosition> expected = expectedActivity(blocks, address);
        for (int limit : List.of(1, 2, 3, 7, 1000)) {
          List<AccountActivity> all = pageThrough(cursor -> store.accountHistory(address, cursor, limit), limit,
              AccountActivity::position);
          assertThat(all).extracting(AccountActivity::position).as("%s limit %d", address, limit).isEqualTo(expected);
        }
      }
      // What each entry says: the transaction, its receipt, its block's time, and how the account takes part.
      AccountActivity selfTransfer = store.accountHistory(account(2).address(), Optional.empty(), 1000).entries().stream()
          .filter(a -> a.included().transaction().payload() instanceof Payload.Transfer t && t.to().equals(account(2).address())
              && a.included().transaction().senderAddress().equals(account(2).address()))
          .findFirst().orElseThrow();
      assertThat(selfTransfer.parties()).isEqualTo(EnumSet.of(TxParty.SENDER, TxParty.RECIPIENT));
      ExecutedBlock block = blocks.get((int) selfTransfer.included().blockHeight());
      assertThat(selfTransfer.blockTimestampMillis()).isEqualTo(block.block().header().timestampMillis());
      assertThat(selfTransfer.included().blockHash()).isEqualTo(block.block().hash());
      assertThat(selfTransfer.included().receipt()).isEqualTo(block.receipts().get(selfTransfer.included().index()));
      AccountActivity grant = store.accountHistory(account(0).address(), Optional.empty(), 1000).entries().stream()
          .filter(a -> a.parties().contains(TxParty.ROLE_TARGET)).findFirst().orElseThrow();
      assertThat(grant.parties()).containsExactly(TxParty.ROLE_TARGET);
      assertThat(grant.included().receipt().code()).as("a failed transaction is history too").isEqualTo(ReceiptCode.NOT_AN_ADMIN);
    }
  }

  @Test
  void recordHistoryListsEverySuccessfulPutOfThatRecordOnly() {
    try (ChainStore store = ChainStore.open(dir, StoreConfig.small())) {
      commitMixedChain(store);
      Address owner = account(1).address();
      for (int limit : List.of(1, 5, 1000)) {
        List<RecordChange> doc = pageThrough(cursor -> store.recordHistory(owner, "doc", cursor, limit), limit,
            RecordChange::position);
        assertThat(doc).extracting(c -> new String(c.value().toArray(), StandardCharsets.UTF_8))
            .containsExactly("v11", "v10", "v9", "v8", "v7", "v6", "v5", "v4", "v3", "v2", "v1", "v0");
      }
      // "do" and "doc2" share bytes with "doc" but never its entries; their own are all there.
      assertThat(store.recordHistory(owner, "do", Optional.empty(), 1000).entries()).extracting(RecordChange::put)
          .allMatch(put -> put.key().equals("do")).hasSize(4);
      assertThat(store.recordHistory(owner, "doc2", Optional.empty(), 1000).entries()).hasSize(4);
      // The stranger's put failed (not a member): it changed nothing, so it is no change.
      assertThat(store.recordHistory(stranger.address(), "doc", Optional.empty(), 10).entries()).isEmpty();
      assertThat(store.recordHistory(account(0).address(), "doc", Optional.empty(), 10).entries()).isEmpty();
      RecordChange newest = store.recordHistory(owner, "doc", Optional.empty(), 1).entries().get(0);
      assertThat(newest.blockTimestampMillis())
          .isEqualTo(store.header(newest.included().blockHeight()).orElseThrow().timestampMillis());
      assertThat(newest.included().transaction().id()).isEqualTo(newest.included().receipt().txId());
    }
  }

  @Test
  void cursorsAreExclusiveAndBoundsAreRefused() {
    try (ChainStore store = ChainStore.open(dir, StoreConfig.small())) {
      List<ExecutedBlock> blocks = commitMixedChain(store);
      Address address = account(0).address();
      List<TxPosition> expected = expectedActivity(blocks, address);
      // The cursor is the last entry of the previous page: everything strictly older comes next.
      HistoryPage<AccountActivity> afterFirst = store.accountHistory(address, Optional.of(expected.get(0)), 1000);
      assertThat(afterFirst.entries()).extracting(AccountActivity::position).isEqualTo(expected.subList(1, expected.size()));
      assertThat(afterFirst.next()).isEmpty();
      // A cursor between entries, at or before the oldest, or far above the head.
      TxPosition oldest = expected.get(expected.size() - 1);
      assertThat(store.accountHistory(address, Optional.of(oldest), 10).entries()).isEmpty();
      assertThat(store.accountHistory(address, Optional.of(new TxPosition(0, 0)), 10).entries()).isEmpty();
      TxPosition between = new TxPosition(expected.get(0).height(), expected.get(0).index() + 1);
      assertThat(store.accountHistory(address, Optional.of(between), 1).entries()).extracting(AccountActivity::position)
          .containsExactly(expected.get(0));
      assertThat(store.accountHistory(address, Optional.of(new TxPosition(Long.MAX_VALUE, 99_999)), 1000).entries())
          .extracting(AccountActivity::position).isEqualTo(expected);
      // An exact fit: no next cursor is promised when nothing older exists.
      assertThat(store.accountHistory(address, Optional.empty(), expected.size()).next()).isEmpty();
      assertThat(store.accountHistory(address, Optional.empty(), expected.size() - 1).next())
          .contains(expected.get(expected.size() - 2));

      assertThatThrownBy(() -> store.accountHistory(address, Optional.empty(), 0))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..1000");
      assertThatThrownBy(() -> store.recordHistory(address, "doc", Optional.empty(), ChainStore.HISTORY_PAGE_ENTRIES_MAX + 1))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..1000");
      assertThatThrownBy(() -> store.recordHistory(address, "", Optional.empty(), 1))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("record key");
      assertThatThrownBy(() -> store.recordHistory(address, "k".repeat(257), Optional.empty(), 1))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("record key");
      assertThatThrownBy(() -> new TxPosition(-1, 0)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new TxPosition(0, -1)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new TxPosition(0, 100_000)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void historyEntriesRideInTheBlocksOwnBatchBesideTheHeadPointer() throws RocksDBException {
    try (ChainStore store = ChainStore.open(dir, StoreConfig.small())) {
      ExecutedBlock genesis = fixture.genesis();
      store.commit(genesis, fixture.certify(genesis));
      ChainHead head = store.head().orElseThrow();
      BlockHeader parent = store.header(head.hash()).orElseThrow();
      ValidatorSet validators = store.validatorsAt(1).orElseThrow();
      ExecutedBlock next = executor.build(parent, store.state(), new SparseMerkleTree(store.nodes(), head.stateRoot()),
          validators, List.of(tx(account(0), new Payload.Transfer(account(1).address(), 3)), tx(account(1), put("k", "v"))),
          validators.proposer(1, 0), 0, parent.timestampMillis() + 1);
      BlockCommit commit = BlockCommit.prepare(next, fixture.certify(next.block().hash(), validators.validators()),
          store.head(), Optional.of(validators));
      RocksStore rocks = store.rocks();
      Map<Integer, List<String>> keysByFamily = new HashMap<>();
      try (WriteBatch batch = commit.toBatch(rocks, Optional.of(validators), BlockCommit.StaleNodes.NONE)) {
        batch.iterate(new WriteBatch.Handler() {
          @Override public void put(int family, byte[] key, byte[] value) {
            keysByFamily.computeIfAbsent(family, f -> new ArrayList<>()).add(RocksStore.hex(key));
          }
          @Override public void put(byte[] key, byte[] value) {}
          @Override public void merge(int family, byte[] key, byte[] value) {}
          @Override public void merge(byte[] key, byte[] value) {}
          @Override public void delete(int family, byte[] key) {}
          @Override public void delete(byte[] key) {}
          @Override public void singleDelete(int family, byte[] key) {}
          @Override public void singleDelete(byte[] key) {}
          @Override public void deleteRange(int family, byte[] beginKey, byte[] endKey) {}
          @Override public void deleteRange(byte[] beginKey, byte[] endKey) {}
          @Override public void logData(byte[] blob) {}
          @Override public void putBlobIndex(int family, byte[] key, byte[] value) {}
          @Override public void markBeginPrepare() {}
          @Override public void markEndPrepare(byte[] xid) {}
          @Override public void markNoop(boolean emptyBatch) {}
          @Override public void markRollback(byte[] xid) {}
          @Override public void markCommit(byte[] xid) {}
          @Override public void markCommitWithTimestamp(byte[] xid, byte[] ts) {}
        });
      }
      assertThat(keysByFamily.get(rocks.handle(ColumnFamily.METADATA).getID()))
          .contains(RocksStore.hex(StoreCodec.META_HEAD));
      assertThat(keysByFamily.get(rocks.handle(ColumnFamily.ACCOUNT_HISTORY).getID())).containsExactly(
          RocksStore.hex(HistoryIndex.entryKey(HistoryIndex.accountPrefix(account(0).address()), 1, 0)),
          RocksStore.hex(HistoryIndex.entryKey(HistoryIndex.accountPrefix(account(1).address()), 1, 0)),
          RocksStore.hex(HistoryIndex.entryKey(HistoryIndex.accountPrefix(account(1).address()), 1, 1)))
          .isSorted();
      assertThat(keysByFamily.get(rocks.handle(ColumnFamily.RECORD_HISTORY).getID())).containsExactly(
          RocksStore.hex(HistoryIndex.entryKey(HistoryIndex.recordPrefix(account(1).address(), "k"), 1, 1)));
    }
  }

  @Test
  void aStoreWrittenBeforeTheHistoryFamiliesIsReindexedAtOpen() {
    List<ExecutedBlock> blocks;
    Map<Address, List<AccountActivity>> before = new HashMap<>();
    List<Address> accounts = List.of(account(0).address(), account(1).address(), account(3).address());
    try (ChainStore store = ChainStore.open(dir, StoreConfig.small())) {
      blocks = commitMixedChain(store);
      for (Address address : accounts) {
        before.put(address, store.accountHistory(address, Optional.empty(), 1000).entries());
      }
      // What a schema-1 store is: no history entries, schema version 1.
      RocksStore rocks = store.rocks();
      for (ColumnFamily family : List.of(ColumnFamily.ACCOUNT_HISTORY, ColumnFamily.RECORD_HISTORY)) {
        List<byte[]> keys = rocks.iterate(family, it -> {
          List<byte[]> all = new ArrayList<>();
          for (it.seekToFirst(); it.isValid(); it.next()) {
            all.add(it.key());
          }
          return all;
        });
        keys.forEach(key -> rocks.deleteSynced(family, key));
      }
      rocks.putSynced(ColumnFamily.METADATA, StoreCodec.META_SCHEMA_VERSION,
          StoreCodec.encodeSchemaVersion(ChainStore.SCHEMA_VERSION_WITHOUT_HISTORY));
      assertThat(store.accountHistory(account(0).address(), Optional.empty(), 10).entries()).isEmpty();
      assertThat(new ChainVerifier(store).verify(ChainVerifier.Progress.NONE).passed()).isFalse();
    }
    try (ChainStore store = ChainStore.open(dir, StoreConfig.small())) {
      assertThat(store.rocks().get(ColumnFamily.METADATA, StoreCodec.META_SCHEMA_VERSION, StoreCodec::decodeSchemaVersion))
          .isEqualTo(ChainStore.SCHEMA_VERSION);
      for (Address address : accounts) {
        assertThat(store.accountHistory(address, Optional.empty(), 1000).entries()).isEqualTo(before.get(address));
      }
      assertThat(store.recordHistory(account(1).address(), "doc", Optional.empty(), 1000).entries()).hasSize(12);
      assertThat(new ChainVerifier(store).verify(ChainVerifier.Progress.NONE))
          .isEqualTo(new VerificationResult.Passed(blocks.size(), blocks.stream().mapToLong(b -> b.block().transactions().size()).sum()));
    }
  }

  @Test
  void aStoreOfAnUnknownSchemaIsRefused() {
    try (ChainStore store = ChainStore.open(dir, StoreConfig.small())) {
      store.rocks().putSynced(ColumnFamily.METADATA, StoreCodec.META_SCHEMA_VERSION, StoreCodec.encodeSchemaVersion(3));
    }
    assertThatThrownBy(() -> ChainStore.open(dir, StoreConfig.small())).isInstanceOf(StorageException.class)
        .hasMessageContaining("schema version 3, this build reads 2 (and upgrades 1)");
  }

  @Test
  void theVerifierFindsAMissingAndAnOrphanHistoryEntry() {
    try (ChainStore store = ChainStore.open(dir, StoreConfig.small())) {
      commitMixedChain(store);
      RocksStore rocks = store.rocks();
      byte[] entry = HistoryIndex.entryKey(HistoryIndex.accountPrefix(account(0).address()), 3, 0);
      byte[] value = rocks.get(ColumnFamily.ACCOUNT_HISTORY, entry);
      rocks.deleteSynced(ColumnFamily.ACCOUNT_HISTORY, entry);
      assertThat(new ChainVerifier(store).verify(ChainVerifier.Progress.NONE))
          .isInstanceOfSatisfying(VerificationResult.Failed.class, f -> assertThat(f.reason()).isEqualTo("account_history_wrong"));
      rocks.putSynced(ColumnFamily.ACCOUNT_HISTORY, entry, value);
      rocks.putSynced(ColumnFamily.RECORD_HISTORY,
          HistoryIndex.entryKey(HistoryIndex.recordPrefix(account(2).address(), "ghost"), 99, 0), new byte[] {1});
      assertThat(new ChainVerifier(store).verify(ChainVerifier.Progress.NONE))
          .isInstanceOfSatisfying(VerificationResult.Failed.class, f -> assertThat(f.reason()).isEqualTo("orphan_history"));
      // A read meeting an entry that its block does not back says so instead of serving it.
      assertThatThrownBy(() -> store.recordHistory(account(2).address(), "ghost", Optional.empty(), 10))
          .isInstanceOf(StorageException.class).hasMessageContaining("height 99");
    }
  }
}
