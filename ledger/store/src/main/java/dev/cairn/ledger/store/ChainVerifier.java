package dev.cairn.ledger.store;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.MerkleRoot;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.TxParty;
import dev.cairn.ledger.model.TxPosition;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.MemoryNodeStore;
import dev.cairn.ledger.state.MissingNodeException;
import dev.cairn.ledger.state.SparseMerkleTree;
import dev.cairn.ledger.state.StateChanges;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Walks a stored chain from genesis to head and checks everything a node relies on: heights and hash
 * links, transaction and receipt roots, each certificate against the validator set of its height (genesis:
 * an empty certificate), the transaction index, the head pointer, and that nothing is stored beyond the head
 * (no half-applied or orphaned block). Stops at the first problem. For the operator's verify command and
 * for crash tests; it reads the whole chain, so it is not for the hot path.
 */
public final class ChainVerifier {
  /** Called after each verified height, so a command can print progress. */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = (height, headHeight) -> {};

    void verified(long height, long headHeight);
  }

  private final ChainStore store;
  private final RocksStore rocks;

  public ChainVerifier(ChainStore store) {
    this.store = store;
    this.rocks = store.rocks();
  }

  /** Checks the chain from genesis to head. */
  public VerificationResult verify(Progress progress) {
    Optional<ChainHead> head = store.head();
    if (head.isEmpty()) {
      return emptyStore();
    }
    long headHeight = head.get().height();
    Hash previous = null;
    long transactions = 0;
    long historyEntries = 0;
    for (long height = store.baseHeight(); height <= headHeight; height++) {
      HeightCheck check;
      try {
        check = verifyHeight(height, previous);
      } catch (StorageException e) {
        return new VerificationResult.Failed(height, "storage_corrupt", e.getMessage());
      }
      if (check.failure() != null) {
        return check.failure();
      }
      previous = check.hash();
      transactions += check.transactions();
      historyEntries += check.historyEntries();
      progress.verified(height, headHeight);
    }
    if (!head.get().hash().equals(previous)) {
      return new VerificationResult.Failed(headHeight, "head_not_indexed", "head pointer hash differs from the height index");
    }
    BlockHeader headHeader = store.header(previous).orElseThrow();
    if (!headHeader.stateRoot().equals(head.get().stateRoot())) {
      return new VerificationResult.Failed(headHeight, "head_state_root_mismatch", "head pointer state root differs from the header's");
    }
    VerificationResult extra = verifyNothingBeyondHead(headHeight, transactions, historyEntries);
    return extra != null ? extra : new VerificationResult.Passed(headHeight + 1, transactions);
  }

  /**
   * Checks the flat state against the authenticated tree: the root recomputed from the whole flat state
   * must equal the head's state root, and every flat entry must be readable with the same value through the
   * stored tree nodes at that root (so the nodes are complete). Holds the state and a scratch tree in
   * memory; run it with no writer.
   */
  public VerificationResult verifyState() {
    TreeMap<Hash, Optional<Bytes>> all = new TreeMap<>();
    Optional<ChainHead> head;
    try {
      head = store.scanState((key, value) -> all.put(key, Optional.of(value)));
    } catch (StorageException e) {
      return new VerificationResult.Failed(-1, "storage_corrupt", e.getMessage());
    }
    if (head.isEmpty()) {
      return all.isEmpty() ? new VerificationResult.Passed(0, 0)
          : new VerificationResult.Failed(-1, "data_without_head", "flat state has entries but there is no head");
    }
    long height = head.get().height();
    Hash root = head.get().stateRoot();
    Hash recomputed =
        new SparseMerkleTree(new MemoryNodeStore(), SparseMerkleTree.EMPTY_ROOT).apply(new StateChanges(all)).root();
    if (!recomputed.equals(root)) {
      return new VerificationResult.Failed(height, "flat_state_root_mismatch",
          "flat state hashes to " + recomputed.shortHex() + ", head state root is " + root.shortHex());
    }
    SparseMerkleTree stored = new SparseMerkleTree(store.nodes(), root);
    for (Map.Entry<Hash, Optional<Bytes>> entry : all.entrySet()) {
      Optional<Bytes> inTree;
      try {
        inTree = stored.get(entry.getKey());
      } catch (MissingNodeException e) {
        return new VerificationResult.Failed(height, "state_node_missing", "key " + entry.getKey().shortHex() + ": " + e.getMessage());
      } catch (IllegalStateException | StorageException e) {
        // A malformed node encoding or an unreadable node.
        return new VerificationResult.Failed(height, "state_node_invalid", "key " + entry.getKey().shortHex() + ": " + e.getMessage());
      }
      if (!inTree.equals(entry.getValue())) {
        return new VerificationResult.Failed(height, "state_node_mismatch",
            "key " + entry.getKey().shortHex() + " reads differently through the stored tree");
      }
    }
    return new VerificationResult.Passed(height + 1, 0);
  }

  private record HeightCheck(Hash hash, long transactions, long historyEntries, VerificationResult.Failed failure) {}

  private HeightCheck verifyHeight(long height, Hash previous) {
    Optional<Hash> indexed = store.hashAt(height);
    if (indexed.isEmpty()) {
      return failed(height, "height_index_missing", "no block hash indexed at this height");
    }
    Hash hash = indexed.get();
    byte[] headerBytes = rocks.get(ColumnFamily.HEADERS, hash.unsafeArray());
    if (headerBytes == null) {
      return failed(height, "header_missing", "no header for " + hash.shortHex());
    }
    BlockHeader header = RocksStore.decode(ColumnFamily.HEADERS, hash.unsafeArray(), headerBytes, LedgerCodec::decodeHeader);
    if (!header.hash().equals(hash)) {
      return failed(height, "header_hash_mismatch", "stored header hashes to " + header.hash().shortHex() + ", not " + hash.shortHex());
    }
    if (header.height() != height) {
      return failed(height, "height_mismatch", "header says height " + header.height());
    }
    if (height == 0 && !store.genesisHash().map(hash::equals).orElse(false)) {
      return failed(height, "genesis_hash_mismatch", "genesis hash in metadata differs from block 0");
    }
    if (height > 0 && height == store.baseHeight()) {
      return verifyBase(height, hash);
    }
    if (height > 0 && !header.parentHash().equals(previous)) {
      return failed(height, "parent_link_broken", "parent " + header.parentHash().shortHex() + " is not block " + (height - 1));
    }
    if (height >= 1 && height < store.bodiesRetainedFrom()) {
      // Pruned: the header, its link and its certificate are what keep the chain verifiable; no body remains.
      VerificationResult.Failed problem = verifyCertificate(height, hash, header);
      if (problem == null && (rocks.get(ColumnFamily.BODIES, hash.unsafeArray()) != null
          || rocks.get(ColumnFamily.RECEIPTS, hash.unsafeArray()) != null)) {
        problem = failure(height, "pruned_body_present", "a body or receipts remain below the pruning height "
            + store.bodiesRetainedFrom());
      }
      return new HeightCheck(hash, 0, 0, problem);
    }
    List<Transaction> body = store.body(hash);
    if (!MerkleRoot.ofTransactions(body).equals(header.txRoot())) {
      return failed(height, "tx_root_mismatch", "body does not match the header's txRoot");
    }
    VerificationResult.Failed problem = verifyReceipts(height, hash, header, body);
    if (problem == null) {
      problem = verifyCertificate(height, hash, header);
    }
    if (problem == null) {
      problem = verifyTxIndex(height, body);
    }
    long historyEntries = 0;
    if (problem == null) {
      List<Receipt> receipts = store.receipts(hash).orElseThrow();
      problem = verifyHistory(height, body, receipts);
      historyEntries = expectedHistoryEntries(body, receipts);
    }
    return new HeightCheck(hash, body.size(), historyEntries, problem);
  }

  /** Every entry the block's commit writes to the history families is there, with its value. */
  private VerificationResult.Failed verifyHistory(long height, List<Transaction> body, List<Receipt> receipts) {
    for (int i = 0; i < body.size(); i++) {
      Transaction tx = body.get(i);
      for (Map.Entry<Address, Set<TxParty>> party : TxParty.of(tx).entrySet()) {
        byte[] key = HistoryIndex.entryKey(HistoryIndex.accountPrefix(party.getKey()), height, i);
        byte[] value = rocks.get(ColumnFamily.ACCOUNT_HISTORY, key);
        if (value == null || !Arrays.equals(value, HistoryIndex.accountValue(party.getValue()))) {
          return failure(height, "account_history_wrong", "transaction " + i + ": the entry of " + party.getKey()
              + (value == null ? " is missing" : " names other parties"));
        }
      }
      if (tx.payload() instanceof Payload.RecordPut put && receipts.get(i).isSuccess()) {
        byte[] key = HistoryIndex.entryKey(HistoryIndex.recordPrefix(tx.senderAddress(), put.key()), height, i);
        if (rocks.get(ColumnFamily.RECORD_HISTORY, key) == null) {
          return failure(height, "record_history_missing", "transaction " + i + ": the record's entry is missing");
        }
      }
    }
    return null;
  }

  private static long expectedHistoryEntries(List<Transaction> body, List<Receipt> receipts) {
    long entries = 0;
    for (int i = 0; i < body.size(); i++) {
      Transaction tx = body.get(i);
      entries += TxParty.of(tx).size();
      if (tx.payload() instanceof Payload.RecordPut && receipts.get(i).isSuccess()) {
        entries++;
      }
    }
    return entries;
  }

  /**
   * The base of a state-synced store: its header was trusted when the state was installed (the validator set
   * that certified it is not stored), so what is checked is that its certificate names it and no body remains.
   */
  private HeightCheck verifyBase(long height, Hash hash) {
    Optional<CommitCertificate> certificate = store.certificate(hash);
    if (certificate.isEmpty() || !certificate.get().blockHash().equals(hash)) {
      return failed(height, "base_certificate_missing", "no certificate for the base block " + hash.shortHex());
    }
    if (rocks.get(ColumnFamily.BODIES, hash.unsafeArray()) != null || rocks.get(ColumnFamily.RECEIPTS, hash.unsafeArray()) != null) {
      return failed(height, "base_body_present", "the base block of a state-synced store has no body");
    }
    return new HeightCheck(hash, 0, 0, null);
  }

  private VerificationResult.Failed verifyReceipts(long height, Hash hash, BlockHeader header, List<Transaction> body) {
    Optional<List<Receipt>> receipts = store.receipts(hash);
    if (receipts.isEmpty()) {
      return failure(height, "receipts_missing", "no receipts for " + hash.shortHex());
    }
    if (receipts.get().size() != body.size()) {
      return failure(height, "receipts_count_mismatch", receipts.get().size() + " receipts for " + body.size() + " transactions");
    }
    for (int i = 0; i < body.size(); i++) {
      if (!receipts.get().get(i).txId().equals(body.get(i).id())) {
        return failure(height, "receipt_tx_mismatch", "receipt " + i + " is for another transaction");
      }
    }
    if (!MerkleRoot.ofReceipts(receipts.get()).equals(header.receiptsRoot())) {
      return failure(height, "receipts_root_mismatch", "receipts do not match the header's receiptsRoot");
    }
    return null;
  }

  private VerificationResult.Failed verifyCertificate(long height, Hash hash, BlockHeader header) {
    Optional<CommitCertificate> certificate = store.certificate(hash);
    if (certificate.isEmpty()) {
      return failure(height, "certificate_missing", "no certificate for " + hash.shortHex());
    }
    Optional<ValidatorSet> validators = store.validatorsAt(height);
    if (validators.isEmpty()) {
      return failure(height, "validator_set_missing", "no validator set stored for this height");
    }
    if (!header.validatorSetHash().equals(validators.get().hash())) {
      return failure(height, "validator_set_mismatch", "header's validatorSetHash differs from the stored set");
    }
    if (height == 0) {
      boolean empty = certificate.get().seals().isEmpty() && certificate.get().blockHash().equals(hash);
      return empty ? null : failure(height, "genesis_certificate_not_empty", "genesis must have an empty certificate");
    }
    Validation validation = certificate.get().verify(hash, validators.get());
    if (validation instanceof Validation.Invalid invalid) {
      return failure(height, "certificate_invalid", invalid.toString());
    }
    return null;
  }

  private VerificationResult.Failed verifyTxIndex(long height, List<Transaction> body) {
    for (int i = 0; i < body.size(); i++) {
      Hash txId = body.get(i).id();
      TxPosition position = rocks.get(ColumnFamily.TX_INDEX, txId.unsafeArray(), StoreCodec::decodeTxPosition);
      if (position == null) {
        return failure(height, "tx_index_missing", "transaction " + i + " " + txId.shortHex() + " is not indexed");
      }
      if (position.height() != height || position.index() != i) {
        return failure(height, "tx_index_wrong", "transaction " + i + " indexed at height " + position.height()
            + " position " + position.index());
      }
    }
    return null;
  }

  /** Nothing of a later (half-applied or orphaned) block may exist: the families hold exactly the chain. */
  private VerificationResult verifyNothingBeyondHead(long headHeight, long transactions, long historyEntries) {
    long blocks = headHeight + 1 - store.baseHeight();
    try {
      long lastIndexed = lastHeightKey(ColumnFamily.HEIGHTS);
      if (lastIndexed != headHeight) {
        return new VerificationResult.Failed(lastIndexed, "height_beyond_head", "height index reaches " + lastIndexed);
      }
      long lastSet = lastHeightKey(ColumnFamily.VALIDATOR_SETS);
      if (lastSet > headHeight + 1) {
        return new VerificationResult.Failed(lastSet, "validator_set_beyond_head", "validator set stored for height " + lastSet);
      }
      long prunedBodies = Math.min(blocks - 1, Math.max(0, store.bodiesRetainedFrom() - 1 - store.baseHeight()))
          + (store.baseHeight() > 0 ? 1 : 0);
      for (ColumnFamily family : List.of(ColumnFamily.HEADERS, ColumnFamily.BODIES, ColumnFamily.CERTIFICATES, ColumnFamily.RECEIPTS)) {
        long count = count(family);
        long expected = family == ColumnFamily.BODIES || family == ColumnFamily.RECEIPTS ? blocks - prunedBodies : blocks;
        if (count != expected) {
          return new VerificationResult.Failed(headHeight, "orphan_" + family.familyName(),
              family.familyName() + " holds " + count + " entries for " + expected + " blocks");
        }
      }
      VerificationResult.Failed stale = verifyStaleEntries(headHeight);
      if (stale != null) {
        return stale;
      }
      long indexed = count(ColumnFamily.TX_INDEX);
      if (indexed != transactions) {
        return new VerificationResult.Failed(headHeight, "orphan_tx_index",
            "tx index holds " + indexed + " entries for " + transactions + " transactions");
      }
      long history = count(ColumnFamily.ACCOUNT_HISTORY) + count(ColumnFamily.RECORD_HISTORY);
      if (history != historyEntries) {
        return new VerificationResult.Failed(headHeight, "orphan_history",
            "the history families hold " + history + " entries, the chain's transactions make " + historyEntries);
      }
    } catch (StorageException e) {
      return new VerificationResult.Failed(headHeight, "storage_corrupt", e.getMessage());
    }
    return null;
  }

  /**
   * The recorded stale tree nodes lie between the state pruning height and the head: entries below it would
   * mean a pruning step that was not applied whole, entries above the head a block that was not.
   */
  private VerificationResult.Failed verifyStaleEntries(long headHeight) {
    long stateFrom = store.stateRetainedFrom();
    return rocks.iterate(ColumnFamily.STALE_NODES, it -> {
      it.seekToFirst();
      if (it.isValid()) {
        long lowest = RocksStore.decode(ColumnFamily.STALE_NODES, it.key(), it.key(), StoreCodec::staleHeight);
        if (lowest < stateFrom) {
          return failure(lowest, "stale_entry_below_pruned", "a stale-node entry of height " + lowest
              + " remains below the state pruning height " + stateFrom);
        }
        it.seekToLast();
        long highest = RocksStore.decode(ColumnFamily.STALE_NODES, it.key(), it.key(), StoreCodec::staleHeight);
        if (highest > headHeight) {
          return failure(highest, "stale_entry_beyond_head", "a stale-node entry of height " + highest + " above the head");
        }
      }
      RocksStore.checkStatus(it, ColumnFamily.STALE_NODES);
      return null;
    });
  }

  private VerificationResult emptyStore() {
    for (ColumnFamily family : List.of(ColumnFamily.HEIGHTS, ColumnFamily.HEADERS, ColumnFamily.TX_INDEX,
        ColumnFamily.FLAT_STATE, ColumnFamily.ACCOUNT_HISTORY, ColumnFamily.RECORD_HISTORY)) {
      if (count(family) != 0) {
        return new VerificationResult.Failed(-1, "data_without_head", family.familyName() + " has entries but there is no head");
      }
    }
    return new VerificationResult.Passed(0, 0);
  }

  private long lastHeightKey(ColumnFamily family) {
    return rocks.iterate(family, it -> {
      it.seekToLast();
      if (!it.isValid()) {
        RocksStore.checkStatus(it, family);
        return -1L;
      }
      byte[] key = it.key();
      return RocksStore.decode(family, key, key, StoreCodec::height);
    });
  }

  private long count(ColumnFamily family) {
    return rocks.iterate(family, it -> {
      long count = 0;
      for (it.seekToFirst(); it.isValid(); it.next()) {
        count++;
      }
      RocksStore.checkStatus(it, family);
      return count;
    });
  }

  private static HeightCheck failed(long height, String reason, String detail) {
    return new HeightCheck(null, 0, 0, failure(height, reason, detail));
  }

  private static VerificationResult.Failed failure(long height, String reason, String detail) {
    return new VerificationResult.Failed(height, reason, detail);
  }
}
