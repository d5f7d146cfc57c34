package dev.cairn.chain;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.execution.BlockCheck;
import dev.cairn.ledger.execution.BlockExecutor;
import dev.cairn.ledger.execution.BlockLimits;
import dev.cairn.ledger.execution.Candidate;
import dev.cairn.ledger.execution.ExecutedBlock;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.SparseMerkleTree;
import dev.cairn.ledger.store.ChainHead;
import dev.cairn.ledger.store.ChainStore;
import dev.cairn.mempool.Mempool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The chain as the consensus thread sees it: the RocksDB store's head, the block executor, and the mempool
 * that feeds proposals. Blocks this node built or validated are remembered with their execution results
 * (bounded) so that committing a finalized block does not execute it a second time.
 *
 * <p>Single writer: every method except the read-only accessors is called from the consensus thread only.
 */
public final class LocalChain implements ChainPort {
  /** Blocks executed at the current height (one per round at most, plus peers' proposals). */
  private static final int EXECUTED_BLOCKS_KEPT_MAX = 64;
  static final String CONSENSUS_STATE_KEY = "consensus-state";

  private final ChainStore store;
  private final BlockExecutor executor;
  private final BlockLimits limits;
  private final Mempool mempool;
  private final Map<Hash, ExecutedBlock> executed = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Hash, ExecutedBlock> eldest) {
      return size() > EXECUTED_BLOCKS_KEPT_MAX;
    }
  };
  private final List<BiConsumer<FinalizedBlock, List<Receipt>>> commitListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<ChainStore.CommitStats>> storeListeners = new CopyOnWriteArrayList<>();
  private volatile BlockHeader head;
  private volatile ValidatorSet nextValidators;

  public LocalChain(ChainStore store, BlockExecutor executor, BlockLimits limits, Mempool mempool) {
    this.store = store;
    this.executor = executor;
    this.limits = limits;
    this.mempool = mempool;
    refreshHead();
  }

  private void refreshHead() {
    ChainHead top = store.head().orElseThrow(() -> new IllegalStateException("chain store has no genesis block"));
    head = store.header(top.hash()).orElseThrow(() -> new IllegalStateException("head header " + top.hash() + " missing"));
    nextValidators = store.validatorsAt(top.height() + 1)
        .orElseThrow(() -> new IllegalStateException("no validator set stored for height " + (top.height() + 1)));
  }

  /** Called after each commit, on the consensus thread, with the block and its receipts. */
  public void onCommit(BiConsumer<FinalizedBlock, List<Receipt>> listener) {
    commitListeners.add(listener);
  }

  /** Called after each block is written, on the consensus thread, with what the write cost (for metrics). */
  public void onStored(Consumer<ChainStore.CommitStats> listener) {
    storeListeners.add(listener);
  }

  @Override
  public BlockHeader head() {
    return head;
  }

  @Override
  public ValidatorSet nextValidators() {
    return nextValidators;
  }

  @Override
  public boolean hasPendingTransactions() {
    return mempool.size() > 0;
  }

  private SparseMerkleTree headTree() {
    return new SparseMerkleTree(store.nodes(), head.stateRoot());
  }

  @Override
  public Block buildCandidate(int round, PublicKey proposer, long timestampMillis) {
    List<Candidate> candidates = mempool.selectForBlock(limits.txsMax(), limits.bytesMax());
    ExecutedBlock block = executor.buildFrom(
        head, store.state(), headTree(), nextValidators, candidates, proposer, round, timestampMillis);
    executed.put(block.block().hash(), block);
    return block.block();
  }

  @Override
  public Validation validate(Block block) {
    if (executed.containsKey(block.hash())) {
      return Validation.VALID;
    }
    BlockCheck check = executor.validate(block, head, store.state(), headTree(), nextValidators);
    return switch (check) {
      case BlockCheck.Valid valid -> {
        executed.put(block.hash(), valid.executed());
        yield Validation.VALID;
      }
      case BlockCheck.Invalid invalid -> Validation.invalid(invalid.reason(), invalid.detail());
    };
  }

  @Override
  public void commit(FinalizedBlock finalized) {
    Block block = finalized.block();
    ExecutedBlock result = executed.get(block.hash());
    if (result == null) {
      BlockCheck check = executor.validate(block, head, store.state(), headTree(), nextValidators);
      if (!(check instanceof BlockCheck.Valid valid)) {
        // A quorum certified a block this node finds invalid: the validators disagree on the state
        // transition. Committing would fork this node's state; halting is the only safe answer.
        throw new IllegalStateException("finalized block " + block.hash() + " at height " + block.height()
            + " does not execute here: " + check);
      }
      result = valid.executed();
    }
    commitExecuted(finalized, result);
  }

  /**
   * Commits a finalized block received from a peer (sync or block gossip): untrusted input, so it must link
   * to the head, carry a quorum certificate from the validators of its height, and re-execute to the same
   * header commitments here. Returns why not, and changes nothing, otherwise.
   */
  @Override
  public Validation importFinalized(FinalizedBlock finalized) {
    Block block = finalized.block();
    if (block.height() != head.height() + 1) {
      return Validation.invalid("sync_not_next_height", "block " + block.height() + " does not follow head " + head.height());
    }
    if (!block.header().parentHash().equals(head.hash())) {
      return Validation.invalid("sync_parent_mismatch", "block " + block.height() + " does not link to head " + head.hash().shortHex());
    }
    Validation certificate = finalized.certificate().verify(block.hash(), nextValidators);
    if (!certificate.isValid()) {
      return certificate;
    }
    BlockCheck check = executor.validate(block, head, store.state(), headTree(), nextValidators);
    return switch (check) {
      case BlockCheck.Valid valid -> {
        commitExecuted(finalized, valid.executed());
        yield Validation.VALID;
      }
      case BlockCheck.Invalid invalid -> Validation.invalid(invalid.reason(), invalid.detail());
    };
  }

  private void commitExecuted(FinalizedBlock finalized, ExecutedBlock result) {
    Block block = finalized.block();
    ChainStore.CommitStats written = store.commit(result, finalized.certificate());
    for (Consumer<ChainStore.CommitStats> listener : storeListeners) {
      listener.accept(written);
    }
    executed.clear();
    refreshHead();
    mempool.onBlockCommitted(includedIds(result), store.state());
    for (BiConsumer<FinalizedBlock, List<Receipt>> listener : commitListeners) {
      listener.accept(finalized, result.receipts());
    }
  }

  /** The block's tx ids, in order, from its receipts (one per transaction): no re-encoding, no hashing. */
  static List<Hash> includedIds(ExecutedBlock executed) {
    List<Hash> ids = new ArrayList<>(executed.receipts().size());
    for (Receipt receipt : executed.receipts()) {
      ids.add(receipt.txId());
    }
    return ids;
  }

  @Override
  public Optional<Bytes> loadConsensusState() {
    return store.getMeta(CONSENSUS_STATE_KEY);
  }

  @Override
  public void saveConsensusState(Bytes state) {
    store.putMeta(CONSENSUS_STATE_KEY, state);
  }

  /**
   * Finalized blocks from {@code fromHeight} on, at most {@code countMax} and about {@code bytesMax} (the first
   * block always whole); fewer, or none, past the head.
   */
  public List<FinalizedBlock> blocks(long fromHeight, int countMax, long bytesMax) {
    return store.blocks(fromHeight, countMax, bytesMax);
  }

  public ChainStore store() {
    return store;
  }

  /**
   * The chunk under {@code prefix} of the state at {@code height}, for a peer's snapshot request. Read off the
   * consensus thread: tree nodes are immutable, and the state of a retained height stays whole.
   */
  public dev.cairn.ledger.state.StateChunk chunk(long height, Hash prefix, int prefixBits, int leafBytesMax) {
    if (height > head.height()) {
      throw new StateUnavailableException("height " + height + " is above the head " + head.height());
    }
    if (height < store.stateRetainedFrom()) {
      throw new StateUnavailableException("the state of height " + height + " was pruned (state kept from "
          + store.stateRetainedFrom() + ")");
    }
    BlockHeader header = store.header(height)
        .orElseThrow(() -> new StateUnavailableException("no header stored at height " + height));
    return dev.cairn.ledger.state.StateChunk.of(store.nodes(), header.stateRoot(), prefix, prefixBits, leafBytesMax);
  }

  /**
   * The heights above {@code afterHeight} where the validator set changed, for a peer following them from
   * genesis; {@link StateUnavailableException} when this node's history starts later (it was state-synced).
   */
  public List<Long> validatorSetChangeHeights(long afterHeight, int countMax) {
    try {
      return store.validatorSetChangeHeights(afterHeight, countMax);
    } catch (IllegalStateException e) {
      throw new StateUnavailableException(e.getMessage());
    }
  }

  /** The proof of {@code key} in the state after block {@code height}; the same checks as {@link #chunk}. */
  public dev.cairn.ledger.state.StateProof prove(long height, Hash key) {
    if (height > head.height()) {
      throw new StateUnavailableException("height " + height + " is above the head " + head.height());
    }
    if (height < store.stateRetainedFrom()) {
      throw new StateUnavailableException("the state of height " + height + " was pruned (state kept from "
          + store.stateRetainedFrom() + ")");
    }
    BlockHeader header = store.header(height)
        .orElseThrow(() -> new StateUnavailableException("no header stored at height " + height));
    return new SparseMerkleTree(store.nodes(), header.stateRoot()).prove(key);
  }

  /** Why the state of a height cannot be read (above the head, pruned); the message says which. */
  public static final class StateUnavailableException extends RuntimeException {
    public StateUnavailableException(String message) {
      super(message);
    }
  }
}
