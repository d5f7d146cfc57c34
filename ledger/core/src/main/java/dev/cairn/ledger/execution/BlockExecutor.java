package dev.cairn.ledger.execution;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.execution.BlockCheck.Invalid;
import dev.cairn.ledger.execution.BlockCheck.Reason;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.Limits;
import dev.cairn.ledger.model.MerkleRoot;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.SparseMerkleTree;
import dev.cairn.ledger.state.StateReader;
import dev.cairn.ledger.state.TreeUpdate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds blocks (proposer) and validates them (everyone else, and sync) by executing them against the parent
 * state. A block is valid only if every transaction in it could be executed: right chain id, valid
 * signature, no duplicate, and each sender's nonces consecutive from its account nonce. A transaction that
 * breaks one of those makes the whole block invalid (the proposer's fault); a transaction that merely fails
 * (no balance, no role) is included with a failure receipt. The round-robin proposer order is consensus's
 * business, not checked here.
 */
public final class BlockExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(BlockExecutor.class);
  /** Block tag and version, then the transaction count; the header's own size is added per block. */
  private static final int BLOCK_FRAME_BYTES = 2 + 4;
  /** Each transaction is length-prefixed inside a block. */
  private static final int TX_PREFIX_BYTES = 4;

  /** Below this many transactions a block's signatures are checked on the calling thread alone. */
  static final int PARALLEL_SIGNATURE_CHECK_TXS_MIN = 64;
  /** Smallest batch a block's signatures are split into for verification on several cores. */
  static final int SIGNATURE_BATCH_TXS_MIN = 32;

  private final String chainId;
  private final BlockLimits limits;
  private final SignatureCheck signatures;

  public BlockExecutor(String chainId, BlockLimits limits, SignatureCheck signatures) {
    this.chainId = Objects.requireNonNull(chainId, "chainId");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.signatures = Objects.requireNonNull(signatures, "signatures");
  }

  /**
   * Builds the next block from {@code candidates} in their order, skipping any that would make the block
   * invalid (wrong chain id, bad signature, duplicate, nonce out of sequence at that point) or overflow the
   * limits. The timestamp is raised to the parent's if the local clock is behind it. Encodes and hashes
   * every candidate; {@link #buildFrom} takes candidates whose ids are already known.
   */
  public ExecutedBlock build(
      BlockHeader parent,
      StateReader parentState,
      SparseMerkleTree parentTree,
      ValidatorSet validators,
      List<Transaction> candidates,
      PublicKey proposer,
      int round,
      long timestampMillis) {
    List<Candidate> known = new ArrayList<>(candidates.size());
    for (Transaction tx : candidates) {
      known.add(Candidate.of(tx));
    }
    return buildFrom(parent, parentState, parentTree, validators, known, proposer, round, timestampMillis);
  }

  /** As {@link #build}, with each candidate's id and encoded size supplied by the caller (the mempool). */
  public ExecutedBlock buildFrom(
      BlockHeader parent,
      StateReader parentState,
      SparseMerkleTree parentTree,
      ValidatorSet validators,
      List<Candidate> candidates,
      PublicKey proposer,
      int round,
      long timestampMillis) {
    if (!validators.contains(proposer)) {
      throw new IllegalArgumentException("proposer " + proposer + " is not a validator of this height");
    }
    int txsMax = limits.txsMax();
    int expectedTxs = Math.min(candidates.size(), txsMax);
    BlockExecution execution = new BlockExecution(parentState, validators, expectedTxs);
    List<Transaction> included = new ArrayList<>(expectedTxs);
    List<Hash> ids = new ArrayList<>(expectedTxs);
    Set<Hash> seen = new HashSet<>(expectedTxs * 2);
    long bytes = BLOCK_FRAME_BYTES + LedgerCodec.encode(parent).length;
    for (Candidate candidate : candidates) {
      if (included.size() >= txsMax) {
        break;
      }
      Transaction tx = candidate.tx();
      if (!tx.chainId().equals(chainId)) {
        continue;
      }
      long txBytes = TX_PREFIX_BYTES + candidate.encodedBytes();
      if (candidate.encodedBytes() > Limits.TX_BYTES_MAX || bytes + txBytes > limits.bytesMax()) {
        continue;
      }
      Hash id = candidate.id();
      long expectedNonce = execution.expectedNonce(tx.sender());
      if (seen.contains(id) || tx.nonce() != expectedNonce || expectedNonce == Long.MAX_VALUE) {
        continue;
      }
      if (!signatures.verify(id, tx)) {
        continue;
      }
      execution.execute(tx, id);
      included.add(tx);
      ids.add(id);
      seen.add(id);
      bytes += txBytes;
    }
    TransitionResult result = execution.finish();
    TreeUpdate update = parentTree.apply(result.changes());
    BlockHeader header = new BlockHeader(
        parent.height() + 1,
        parent.hash(),
        Math.max(timestampMillis, parent.timestampMillis()),
        proposer,
        round,
        MerkleRoot.of(DomainTag.TX_ROOT, ids),
        MerkleRoot.ofReceipts(result.receipts()),
        update.root(),
        validators.hash());
    Block block = new Block(header, included);
    return new ExecutedBlock(block, result.receipts(), result.changes(), update, result.nextValidators());
  }

  /** Checks {@code block} against its parent and executes it; never throws for a bad block. */
  public BlockCheck validate(
      Block block, BlockHeader parent, StateReader parentState, SparseMerkleTree parentTree, ValidatorSet validators) {
    BlockCheck check = check(block, parent, parentState, parentTree, validators);
    if (check instanceof Invalid invalid && LOG.isDebugEnabled()) {
      LOG.debug("invalid block height={} round={} hash={} reason={} detail={}",
          block.height(), block.header().round(), block.hash().shortHex(), invalid.reason(), invalid.detail());
    }
    return check;
  }

  private BlockCheck check(
      Block block, BlockHeader parent, StateReader parentState, SparseMerkleTree parentTree, ValidatorSet validators) {
    Invalid frame = checkFrame(block.header(), parent, validators);
    if (frame != null) {
      return frame;
    }
    List<Hash> ids = new ArrayList<>(block.transactions().size());
    Invalid txs = checkTransactions(block, ids);
    if (txs != null) {
      return txs;
    }
    return execute(block, ids, parentState, parentTree, validators);
  }

  private static Invalid checkFrame(BlockHeader header, BlockHeader parent, ValidatorSet validators) {
    if (header.height() - 1 != parent.height()) {
      return Invalid.of(Reason.WRONG_HEIGHT, "height " + header.height() + ", parent is at " + parent.height());
    }
    Hash parentHash = parent.hash();
    if (!header.parentHash().equals(parentHash)) {
      return Invalid.of(Reason.WRONG_PARENT,
          "parent hash " + header.parentHash().shortHex() + ", expected " + parentHash.shortHex());
    }
    if (header.timestampMillis() < parent.timestampMillis()) {
      return Invalid.of(Reason.TIMESTAMP_BEFORE_PARENT,
          "timestamp " + header.timestampMillis() + " < parent's " + parent.timestampMillis());
    }
    if (!validators.contains(header.proposer())) {
      return Invalid.of(Reason.PROPOSER_NOT_VALIDATOR, "proposer " + header.proposer() + " is not a validator");
    }
    if (!header.validatorSetHash().equals(validators.hash())) {
      return Invalid.of(Reason.WRONG_VALIDATOR_SET,
          "validator set hash " + header.validatorSetHash().shortHex() + ", expected " + validators.hash().shortHex());
    }
    return null;
  }

  /** Limits, chain ids, duplicates, tx root and signatures; fills {@code ids} on the way. */
  private Invalid checkTransactions(Block block, List<Hash> ids) {
    List<Transaction> txs = block.transactions();
    if (txs.size() > limits.txsMax()) {
      return Invalid.of(Reason.TOO_MANY_TRANSACTIONS, txs.size() + " transactions, limit " + limits.txsMax());
    }
    long bytes = BLOCK_FRAME_BYTES + LedgerCodec.encode(block.header()).length;
    Set<Hash> seen = new HashSet<>(txs.size() * 2);
    for (int i = 0; i < txs.size(); i++) {
      Transaction tx = txs.get(i);
      if (!tx.chainId().equals(chainId)) {
        return Invalid.of(Reason.WRONG_CHAIN_ID, "tx " + i + " is for chain '" + tx.chainId() + "'");
      }
      Bytes encoded = TransactionCodec.encode(tx);
      bytes += TX_PREFIX_BYTES + encoded.size();
      Hash id = TransactionCodec.id(encoded);
      if (!seen.add(id)) {
        return Invalid.of(Reason.DUPLICATE_TRANSACTION, "tx " + i + " (" + id.shortHex() + ") appears twice");
      }
      ids.add(id);
    }
    if (bytes > limits.bytesMax()) {
      return Invalid.of(Reason.BLOCK_TOO_LARGE, bytes + " bytes, limit " + limits.bytesMax());
    }
    Hash txRoot = MerkleRoot.of(DomainTag.TX_ROOT, ids);
    if (!txRoot.equals(block.header().txRoot())) {
      return Invalid.of(Reason.WRONG_TX_ROOT,
          "tx root " + block.header().txRoot().shortHex() + ", transactions give " + txRoot.shortHex());
    }
    int bad = firstBadSignature(txs, ids);
    if (bad >= 0) {
      return Invalid.of(Reason.BAD_SIGNATURE, "tx " + bad + " (" + ids.get(bad).shortHex() + ") has a bad signature");
    }
    return null;
  }

  /**
   * Index of the first transaction whose signature fails, or -1. A peer's proposal can bring thousands of
   * transactions this node has not verified yet (their gossip copies are still queued), and it is checked
   * on the consensus thread while the round timer runs, so a large block is verified in batches on every
   * core first. The answer is the lowest failing index either way, so the verdict does not depend on
   * scheduling or batching.
   */
  private int firstBadSignature(List<Transaction> txs, List<Hash> ids) {
    int n = txs.size();
    if (n >= PARALLEL_SIGNATURE_CHECK_TXS_MIN) {
      int chunks = Math.max(1, Math.min(n / SIGNATURE_BATCH_TXS_MIN, 2 * Runtime.getRuntime().availableProcessors()));
      IntStream.range(0, chunks).parallel().forEach(c -> {
        int from = (int) ((long) n * c / chunks);
        int to = (int) ((long) n * (c + 1) / chunks);
        signatures.preverify(ids.subList(from, to), txs.subList(from, to));
      });
    } else {
      signatures.preverify(ids, txs);
    }
    // With a memory these are lookups now; without one (VERIFY_EACH) they are the verification itself.
    IntPredicate bad = i -> !signatures.verify(ids.get(i), txs.get(i));
    IntStream indexes = IntStream.range(0, n);
    if (n >= PARALLEL_SIGNATURE_CHECK_TXS_MIN) {
      indexes = indexes.parallel();
    }
    return indexes.filter(bad).min().orElse(-1);
  }

  private static BlockCheck execute(
      Block block, List<Hash> ids, StateReader parentState, SparseMerkleTree parentTree, ValidatorSet validators) {
    List<Transaction> txs = block.transactions();
    BlockExecution execution = new BlockExecution(parentState, validators, txs.size());
    for (int i = 0; i < txs.size(); i++) {
      Transaction tx = txs.get(i);
      long expected = execution.expectedNonce(tx.sender());
      if (tx.nonce() != expected) {
        return Invalid.of(Reason.WRONG_NONCE,
            "tx " + i + " (" + ids.get(i).shortHex() + ") has nonce " + tx.nonce() + ", sender is at " + expected);
      }
      if (expected == Long.MAX_VALUE) {
        return Invalid.of(Reason.NONCE_EXHAUSTED, "tx " + i + " sender has used every nonce");
      }
      execution.execute(tx, ids.get(i));
    }
    TransitionResult result = execution.finish();
    Hash receiptsRoot = MerkleRoot.ofReceipts(result.receipts());
    BlockHeader header = block.header();
    if (!receiptsRoot.equals(header.receiptsRoot())) {
      return Invalid.of(Reason.WRONG_RECEIPTS_ROOT,
          "receipts root " + header.receiptsRoot().shortHex() + ", execution gives " + receiptsRoot.shortHex());
    }
    TreeUpdate update = parentTree.apply(result.changes());
    if (!update.root().equals(header.stateRoot())) {
      return Invalid.of(Reason.WRONG_STATE_ROOT,
          "state root " + header.stateRoot().shortHex() + ", execution gives " + update.root().shortHex());
    }
    return new BlockCheck.Valid(
        new ExecutedBlock(block, result.receipts(), result.changes(), update, result.nextValidators()));
  }
}
