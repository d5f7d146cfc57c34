package dev.cairn.ledger.store;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.model.AccountActivity;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.HistoryPage;
import dev.cairn.ledger.model.IncludedTransaction;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.RecordChange;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.TxParty;
import dev.cairn.ledger.model.TxPosition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Reads the history families: a reverse scan of one prefix from a cursor, then each entry's transaction and
 * receipt from its block. A page touches each of its blocks once (body, receipts, header) and decodes only
 * the transactions it returns. No snapshot is needed: an entry and its block land in the same batch, and
 * later commits only add entries above the head.
 */
final class ChainHistory {
  /** The most entries one page may ask for; the RPC's own limit is lower. */
  static final int PAGE_ENTRIES_MAX = 1_000;
  private static final byte[] LAST_POSITION = new byte[HistoryIndex.POSITION_BYTES];

  static {
    Arrays.fill(LAST_POSITION, (byte) 0xFF);
  }

  private final ChainStore store;
  private final RocksStore rocks;

  ChainHistory(ChainStore store, RocksStore rocks) {
    this.store = store;
    this.rocks = rocks;
  }

  HistoryPage<AccountActivity> account(Address account, Optional<TxPosition> before, int limit) {
    byte[] prefix = HistoryIndex.accountPrefix(account);
    return page(ColumnFamily.ACCOUNT_HISTORY, prefix, before, limit, (key, value) ->
        RocksStore.decode(ColumnFamily.ACCOUNT_HISTORY, key, value, HistoryIndex::decodeAccountValue)
    ).materialize(this, (entry, block) -> {
      IncludedTransaction included = block.included(entry.position());
      Set<TxParty> actual = TxParty.of(included.transaction()).get(account);
      if (!entry.value().equals(actual)) {
        throw corrupt(ColumnFamily.ACCOUNT_HISTORY, prefix, entry.position(),
            "the transaction there takes part " + actual + ", the index says " + entry.value());
      }
      return new AccountActivity(included, block.header().timestampMillis(), actual);
    });
  }

  HistoryPage<RecordChange> record(Address owner, String recordKey, Optional<TxPosition> before, int limit) {
    byte[] prefix = HistoryIndex.recordPrefix(owner, recordKey);
    return page(ColumnFamily.RECORD_HISTORY, prefix, before, limit, (key, value) ->
        RocksStore.decode(ColumnFamily.RECORD_HISTORY, key, value, HistoryIndex::checkRecordValue)
    ).materialize(this, (entry, block) -> {
      IncludedTransaction included = block.included(entry.position());
      boolean matches = included.transaction().payload() instanceof Payload.RecordPut put
          && put.key().equals(recordKey) && included.transaction().senderAddress().equals(owner)
          && included.receipt().isSuccess();
      if (!matches) {
        throw corrupt(ColumnFamily.RECORD_HISTORY, prefix, entry.position(),
            "the transaction there is not a successful put of this record");
      }
      return new RecordChange(included, block.header().timestampMillis());
    });
  }

  private static StorageException corrupt(ColumnFamily family, byte[] prefix, TxPosition position, String why) {
    return new StorageException("corrupt entry cf=" + family.familyName() + " key="
        + RocksStore.hex(HistoryIndex.entryKey(prefix, position.height(), position.index())) + ": " + why);
  }

  /** An index entry: where, and what its value says. */
  record Entry<V>(TxPosition position, V value) {}

  /** The entries of one page (newest first) and whether older ones exist. */
  record Scan<V>(List<Entry<V>> entries, boolean more) {
    <T> HistoryPage<T> materialize(ChainHistory history, BiFunction<Entry<V>, PageBlock, T> build) {
      Map<Long, PageBlock> blocks = new HashMap<>();
      List<T> out = new ArrayList<>(entries.size());
      for (Entry<V> entry : entries) {
        PageBlock block = blocks.computeIfAbsent(entry.position().height(), history::block);
        out.add(build.apply(entry, block));
      }
      Optional<TxPosition> next = more ? Optional.of(entries.get(entries.size() - 1).position()) : Optional.empty();
      return new HistoryPage<>(out, next);
    }
  }

  private <V> Scan<V> page(ColumnFamily family, byte[] prefix, Optional<TxPosition> before, int limit,
      BiFunction<byte[], byte[], V> decodeValue) {
    if (limit < 1 || limit > PAGE_ENTRIES_MAX) {
      throw new IllegalArgumentException("a history page holds 1.." + PAGE_ENTRIES_MAX + " entries, asked " + limit);
    }
    byte[] seek = before.map(p -> HistoryIndex.entryKey(prefix, p.height(), p.index()))
        .orElseGet(() -> concat(prefix, LAST_POSITION));
    return rocks.iterate(family, it -> {
      List<Entry<V>> entries = new ArrayList<>(Math.min(limit, 64));
      it.seekForPrev(seek);
      if (before.isPresent() && it.isValid() && Arrays.equals(it.key(), seek)) {
        it.prev(); // the cursor's own entry was the last one of the previous page
      }
      boolean more = false;
      for (; it.isValid(); it.prev()) {
        byte[] key = it.key();
        if (!startsWith(key, prefix)) {
          break;
        }
        if (entries.size() == limit) {
          more = true;
          break;
        }
        TxPosition position = HistoryIndex.position(family, key, prefix.length);
        entries.add(new Entry<>(position, decodeValue.apply(key, it.value())));
      }
      RocksStore.checkStatus(it, family);
      return new Scan<>(entries, more);
    });
  }

  /** One block of a page, read once however many of the page's entries it holds. */
  record PageBlock(long height, Hash hash, BlockHeader header, byte[] body, List<Receipt> receipts) {
    IncludedTransaction included(TxPosition position) {
      int index = position.index();
      if (index >= receipts.size()) {
        throw new StorageException("corrupt history entry: position " + position + " beyond block of "
            + receipts.size() + " transactions");
      }
      Transaction tx = RocksStore.decode(ColumnFamily.BODIES, hash.unsafeArray(), body,
          bytes -> StoreCodec.decodeBodyAt(bytes, index));
      Receipt receipt = receipts.get(index);
      if (!receipt.txId().equals(tx.id())) {
        throw new StorageException("corrupt value cf=receipts key=" + hash.toHex() + ": receipt " + index
            + " is not for transaction " + index);
      }
      return new IncludedTransaction(tx, receipt, height, hash, index);
    }
  }

  private PageBlock block(long height) {
    Hash hash = store.hashAt(height).orElseThrow(() -> new StorageException(
        "a history entry points at height " + height + ", which has no block"));
    BlockHeader header = store.header(hash).orElseThrow(() -> missing(ColumnFamily.HEADERS, hash));
    byte[] body = rocks.get(ColumnFamily.BODIES, hash.unsafeArray());
    if (body == null) {
      throw missing(ColumnFamily.BODIES, hash);
    }
    List<Receipt> receipts = store.receipts(hash).orElseThrow(() -> missing(ColumnFamily.RECEIPTS, hash));
    return new PageBlock(height, hash, header, body, receipts);
  }

  private static StorageException missing(ColumnFamily family, Hash key) {
    return new StorageException("missing value cf=" + family.familyName() + " key=" + key.toHex());
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
