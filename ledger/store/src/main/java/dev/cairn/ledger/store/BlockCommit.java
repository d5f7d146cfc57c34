package dev.cairn.ledger.store;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.execution.ExecutedBlock;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.MerkleRoot;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.ValidatorSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.WriteBatch;

/**
 * One finalized block turned into one RocksDB write batch. The checks here are the store's invariants, not
 * validation of untrusted input: consensus or sync has already executed the block and checked its
 * certificate, so a block that does not extend the head is a bug in the caller and is refused loudly
 * (IllegalArgumentException) before anything is written.
 */
final class BlockCommit {
  private final ExecutedBlock executed;
  private final CommitCertificate certificate;
  private final Hash blockHash;
  private final List<Bytes> encodedTransactions;
  private final List<Hash> txIds;
  /** Set by {@link #records}: batch bytes of the state (tree nodes, flat state) and of the rest (the block). */
  private long stateBytes;
  private long blockBytes;

  private BlockCommit(ExecutedBlock executed, CommitCertificate certificate) {
    this.executed = executed;
    this.certificate = certificate;
    this.blockHash = executed.block().hash();
    List<Transaction> txs = executed.block().transactions();
    this.encodedTransactions = new ArrayList<>(txs.size());
    this.txIds = new ArrayList<>(txs.size());
    for (Transaction tx : txs) {
      Bytes encoded = TransactionCodec.encode(tx);
      encodedTransactions.add(encoded);
      txIds.add(TransactionCodec.id(encoded));
    }
  }

  /**
   * Checks that the block extends {@code head} (or is a genesis block on an empty store) and is internally
   * consistent. {@code validators} is the set the store holds for the block's height (empty for genesis).
   */
  static BlockCommit prepare(
      ExecutedBlock executed, CommitCertificate certificate, Optional<ChainHead> head,
      Optional<ValidatorSet> validators) {
    BlockCommit commit = new BlockCommit(executed, certificate);
    commit.checkExtends(head, validators);
    commit.checkContents();
    return commit;
  }

  private void checkExtends(Optional<ChainHead> head, Optional<ValidatorSet> validators) {
    BlockHeader header = executed.block().header();
    if (head.isEmpty()) {
      require(header.height() == 0, "the store is empty: expected genesis at height 0, got height " + header.height());
      require(certificate.seals().isEmpty(), "the genesis block must have an empty certificate");
      require(
          header.validatorSetHash().equals(executed.nextValidators().hash()),
          "genesis validatorSetHash does not match its validator set");
    } else {
      ChainHead current = head.get();
      require(
          header.height() == current.height() + 1,
          "block at height " + header.height() + " does not extend head at height " + current.height());
      require(
          header.parentHash().equals(current.hash()),
          "block parent " + header.parentHash().shortHex() + " is not the head " + current.hash().shortHex());
      require(!certificate.seals().isEmpty(), "a block above genesis needs a non-empty certificate");
      ValidatorSet set = validators.orElseThrow(
          () -> new IllegalStateException("no validator set stored for height " + header.height()));
      require(
          header.validatorSetHash().equals(set.hash()),
          "validatorSetHash does not match the validator set stored for height " + header.height());
    }
    require(
        certificate.blockHash().equals(blockHash),
        "certificate is for " + certificate.blockHash().shortHex() + ", block is " + blockHash.shortHex());
  }

  private void checkContents() {
    BlockHeader header = executed.block().header();
    require(header.txRoot().equals(MerkleRoot.of(DomainTag.TX_ROOT, txIds)), "txRoot does not match the body");
    List<Receipt> receipts = executed.receipts();
    for (int i = 0; i < receipts.size(); i++) {
      require(receipts.get(i).txId().equals(txIds.get(i)), "receipt " + i + " is not for transaction " + i);
    }
    require(header.receiptsRoot().equals(MerkleRoot.ofReceipts(receipts)), "receiptsRoot does not match receipts");
  }

  /**
   * The indexes of {@code hashes} in ascending order of their leading bits (unsigned): the first 8 bytes less
   * the low bits that carry the index, at least 40 bits for any batch below 2^24 entries, which orders random
   * hashes. Sorting primitives instead of comparing Hash objects: a comparator sort of a block's ~90,000
   * nodes cost more than the skip-list search it saves. The order only speeds the memtable up, so hashes
   * that tie on those bits may come in any order.
   */
  static int[] ascendingOrder(List<Hash> hashes) {
    int count = hashes.size();
    int indexBits = 32 - Integer.numberOfLeadingZeros(Math.max(1, count));
    long indexMask = (1L << indexBits) - 1;
    long[] packed = new long[count];
    for (int i = 0; i < count; i++) {
      byte[] hash = hashes.get(i).unsafeArray();
      long prefix = 0;
      for (int b = 0; b < Long.BYTES; b++) {
        prefix = (prefix << 8) | (hash[b] & 0xFF);
      }
      // Flipping the sign bit makes the signed sort of longs the unsigned order of the prefixes.
      packed[i] = ((prefix & ~indexMask) | i) ^ Long.MIN_VALUE;
    }
    // A block's ~91,000 nodes: the common pool's thread sorts half (it is idle while the commit runs).
    Arrays.parallelSort(packed);
    int[] order = new int[count];
    for (int i = 0; i < count; i++) {
      order[i] = (int) ((packed[i] ^ Long.MIN_VALUE) & indexMask);
    }
    return order;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("refusing to commit: " + message);
    }
  }

  ChainHead newHead() {
    return new ChainHead(executed.height(), blockHash, executed.block().header().stateRoot());
  }

  Map<Hash, Bytes> newNodes() {
    return executed.treeUpdate().newNodes();
  }

  /** Batch bytes of the block's state writes (tree nodes, flat state, stale-node records), once the batch is built. */
  long stateBytes() {
    return stateBytes;
  }

  /** Batch bytes of everything else (header, body, certificate, receipts, indexes, head), once the batch is built. */
  long blockBytes() {
    return blockBytes;
  }

  /**
   * What a state-pruning store records with the block: the tree nodes it replaced (to delete once no retained
   * root needs them) and, among its new nodes, those that had been replaced before and so carry a stale marker
   * (the block brings them back: their marker goes, so pruning keeps them). {@link #NONE} for a store that
   * keeps all state.
   */
  record StaleNodes(boolean record, List<Hash> revived) {
    static final StaleNodes NONE = new StaleNodes(false, List.of());
  }

  /** Every write of the block, head pointer included, into one batch: all of it lands or none of it. */
  WriteBatch toBatch(RocksStore rocks, Optional<ValidatorSet> currentSet, StaleNodes stale) {
    return records(rocks, currentSet, stale).toWriteBatch();
  }

  private static final byte[] EMPTY = new byte[0];

  /**
   * The block's writes as serialized batch records (see {@link BatchRecords}): everything else first, then
   * the tree's new nodes, which are most of the batch, into a buffer sized exactly, so that the serialized
   * batch is that buffer itself rather than a copy (a genesis of a million accounts is hundreds of MiB).
   */
  BatchRecords records(RocksStore rocks, Optional<ValidatorSet> currentSet) {
    return records(rocks, currentSet, StaleNodes.NONE);
  }

  BatchRecords records(RocksStore rocks, Optional<ValidatorSet> currentSet, StaleNodes stale) {
    int nodeCount = executed.treeUpdate().newNodes().size();
    List<Hash> nodeHashes = new ArrayList<>(nodeCount);
    List<Bytes> nodeEncodings = new ArrayList<>(nodeCount);
    ColumnFamilyHandle nodeFamily = rocks.handle(ColumnFamily.STATE_NODES);
    long nodeBytes = 0;
    for (Map.Entry<Hash, Bytes> node : executed.treeUpdate().newNodes().entrySet()) {
      nodeHashes.add(node.getKey());
      nodeEncodings.add(node.getValue());
      nodeBytes += BatchRecords.putBytes(nodeFamily.getID(), Hash.SIZE, node.getValue().size());
    }
    boolean recordStale = stale.record() && executed.height() > 0;
    List<Hash> replaced = recordStale ? executed.treeUpdate().replacedNodes() : List.of();
    List<Hash> revived = recordStale ? stale.revived() : List.of();
    ColumnFamilyHandle staleNodes = rocks.handle(ColumnFamily.STALE_NODES);
    ColumnFamilyHandle markers = rocks.handle(ColumnFamily.STALE_MARKERS);
    long staleBytes = (long) replaced.size() * (BatchRecords.putBytes(staleNodes.getID(), 8 + Hash.SIZE, 0)
        + BatchRecords.putBytes(markers.getID(), Hash.SIZE, 8))
        + (long) revived.size() * (BatchRecords.putBytes(markers.getID(), Hash.SIZE, 0) - 1);
    BatchRecords others = recordsOtherThanNodes(rocks, currentSet);
    blockBytes = others.recordBytes() - stateBytes;
    stateBytes += nodeBytes + staleBytes;
    BatchRecords batch = others.followedBy(nodeBytes + staleBytes);
    // Each family's keys go in ascending order: RocksDB's memtable skip list resumes an insert from where the
    // previous one ended, so sorted keys skip most of the search that random hashes pay for on every insert
    // (the node family's inserts were the largest single cost of a commit). The order inside one batch
    // changes nothing else: the keys are distinct and the batch lands atomically either way.
    for (int i : ascendingOrder(nodeHashes)) {
      batch.put(nodeFamily, nodeHashes.get(i).unsafeArray(), nodeEncodings.get(i).unsafeArray());
    }
    // A state-pruning store: the nodes this block replaced, each under this height and with its marker, and
    // the markers of nodes it brought back (so that pruning an older replacement keeps them).
    byte[] height = StoreCodec.encodeHeight(executed.height());
    for (Hash node : replaced) {
      batch.put(staleNodes, StoreCodec.staleKey(executed.height(), node.unsafeArray()), EMPTY);
      batch.put(markers, node.unsafeArray(), height);
    }
    for (Hash node : revived) {
      batch.delete(markers, node.unsafeArray());
    }
    return batch;
  }

  private BatchRecords recordsOtherThanNodes(RocksStore rocks, Optional<ValidatorSet> currentSet) {
    long height = executed.height();
    byte[] hashKey = blockHash.unsafeArray();
    byte[] heightKey = StoreCodec.heightKey(height);
    byte[] header = LedgerCodec.encode(executed.block().header());
    byte[] body = StoreCodec.encodeBody(encodedTransactions);
    byte[] certificateBytes = LedgerCodec.encode(certificate);
    byte[] receipts = LedgerCodec.encodeReceipts(executed.receipts());
    // A size hint; the buffer grows if it is short.
    long hintBytes = header.length + body.length + certificateBytes.length + receipts.length
        + 128L * (txIds.size() + executed.stateChanges().writes().size() + 16) + 80L * txIds.size();
    BatchRecords batch = new BatchRecords((int) Math.min(Integer.MAX_VALUE / 2, hintBytes));
    batch.put(rocks.handle(ColumnFamily.HEADERS), hashKey, header);
    batch.put(rocks.handle(ColumnFamily.BODIES), hashKey, body);
    batch.put(rocks.handle(ColumnFamily.CERTIFICATES), hashKey, certificateBytes);
    batch.put(rocks.handle(ColumnFamily.RECEIPTS), hashKey, receipts);
    batch.put(rocks.handle(ColumnFamily.HEIGHTS), heightKey, hashKey);
    for (int i : ascendingOrder(txIds)) {
      batch.put(rocks.handle(ColumnFamily.TX_INDEX), txIds.get(i).unsafeArray(), StoreCodec.encodeTxPosition(height, i));
    }
    // The history indexes ride in the same batch: an entry is never visible without its block, nor a block
    // without its entries, whatever instant a crash hits.
    HistoryIndex.addBlock(batch, rocks, height, executed.block().transactions(), executed.receipts());
    long before = batch.recordBytes();
    for (Map.Entry<Hash, Optional<Bytes>> write : executed.stateChanges().writes().entrySet()) {
      if (write.getValue().isPresent()) {
        batch.put(rocks.handle(ColumnFamily.FLAT_STATE), write.getKey().unsafeArray(), write.getValue().get().unsafeArray());
      } else {
        batch.delete(rocks.handle(ColumnFamily.FLAT_STATE), write.getKey().unsafeArray());
      }
    }
    stateBytes = batch.recordBytes() - before;
    ValidatorSet next = executed.nextValidators();
    if (height == 0) {
      batch.put(rocks.handle(ColumnFamily.VALIDATOR_SETS), heightKey, LedgerCodec.encode(next));
      batch.put(rocks.handle(ColumnFamily.METADATA), StoreCodec.META_GENESIS_HASH, hashKey);
    } else if (!currentSet.map(next::equals).orElse(false)) {
      // Sets are stored only where they change: validatorsAt(h) is the last entry at or below h.
      batch.put(rocks.handle(ColumnFamily.VALIDATOR_SETS), StoreCodec.heightKey(height + 1), LedgerCodec.encode(next));
    }
    batch.put(rocks.handle(ColumnFamily.METADATA), StoreCodec.META_HEAD, StoreCodec.encodeHead(newHead()));
    return batch;
  }
}
