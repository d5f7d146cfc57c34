package dev.cairn.node.rpc;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.AccountActivity;
import dev.cairn.ledger.model.HistoryPage;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.RecordChange;
import dev.cairn.ledger.model.TxPosition;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.SparseMerkleTree;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.store.ChainHead;
import dev.cairn.ledger.store.ChainStore;
import dev.cairn.ledger.store.PrunedException;
import dev.cairn.ledger.state.MissingNodeException;
import dev.cairn.rpc.jsonrpc.ErrorCode;
import dev.cairn.rpc.jsonrpc.Json;
import dev.cairn.rpc.jsonrpc.RpcFailure;
import dev.cairn.rpc.ChainView;
import dev.cairn.ledger.model.IncludedTransaction;
import dev.cairn.rpc.ProvenValue;
import java.util.List;
import java.util.function.Supplier;
import java.util.Optional;

/** JSON-RPC's read view of the chain: committed data only, straight from the RocksDB store. */
public final class StoreChainView implements ChainView {
  private final String chainId;
  private final ChainStore store;
  private final Supplier<List<Payload.ValidatorVote>> pendingVoteChanges;

  /** {@code pendingVoteChanges}: the node's vote index ({@code VoteCandidates}), which state cannot replace. */
  public StoreChainView(String chainId, ChainStore store, Supplier<List<Payload.ValidatorVote>> pendingVoteChanges) {
    this.chainId = chainId;
    this.store = store;
    this.pendingVoteChanges = pendingVoteChanges;
  }

  @Override
  public List<Payload.ValidatorVote> pendingVoteChanges() {
    return pendingVoteChanges.get();
  }

  @Override
  public String chainId() {
    return chainId;
  }

  @Override
  public long headHeight() {
    return store.head().map(ChainHead::height).orElse(0L);
  }

  @Override
  public Optional<FinalizedBlock> blockByHeight(long height) {
    try {
      return store.finalizedBlock(height);
    } catch (PrunedException e) {
      throw pruned(e);
    }
  }

  @Override
  public Optional<FinalizedBlock> blockByHash(Hash blockHash) {
    try {
      return store.finalizedBlock(blockHash);
    } catch (PrunedException e) {
      throw pruned(e);
    }
  }

  @Override
  public Optional<CertifiedHeader> certifiedHeader(long height) {
    return store.header(height).flatMap(header -> store.certificate(height).map(c -> new CertifiedHeader(header, c)));
  }

  @Override
  public Optional<IncludedTransaction> transaction(Hash txId) {
    return store.transaction(txId);
  }

  @Override
  public Account account(Address address) {
    return store.state().get(StateKeys.account(address)).map(b -> LedgerCodec.decodeAccount(b.unsafeArray())).orElse(Account.EMPTY);
  }

  @Override
  public Optional<Bytes> record(Address owner, String recordKey) {
    return store.state().get(StateKeys.record(owner, recordKey));
  }

  @Override
  public Optional<ValidatorSet> validators(long height) {
    return height > headHeight() ? Optional.empty() : store.validatorsAt(height);
  }

  @Override
  public Optional<List<Receipt>> receipts(long height) {
    return height > headHeight() ? Optional.empty() : store.receipts(height);
  }

  @Override
  public HistoryPage<AccountActivity> accountHistory(Address account, Optional<TxPosition> before, int limit) {
    return store.accountHistory(account, before, limit);
  }

  @Override
  public HistoryPage<RecordChange> recordHistory(Address owner, String recordKey, Optional<TxPosition> before, int limit) {
    return store.recordHistory(owner, recordKey, before, limit);
  }

  @Override
  public Optional<ProvenValue> proof(long height, Hash stateKey) {
    Optional<BlockHeader> header = store.header(height);
    if (header.isEmpty()) {
      return Optional.empty();
    }
    try {
      store.requireState(height);
      SparseMerkleTree tree = new SparseMerkleTree(store.nodes(), header.get().stateRoot());
      return Optional.of(new ProvenValue(stateKey, tree.get(stateKey), tree.prove(stateKey)));
    } catch (PrunedException e) {
      throw pruned(e);
    } catch (MissingNodeException e) {
      // Pruning passed this height while the proof was being read: say so, if that is what happened.
      try {
        store.requireState(height);
      } catch (PrunedException pruned) {
        throw pruned(pruned);
      }
      throw e;
    }
  }

  /**
   * What the node pruned, as the client's answer: -32023 for a block body (and its receipts), -32022 for
   * state, with the height the node keeps it from in {@code data.retainedFrom}.
   */
  static RpcFailure pruned(PrunedException e) {
    ErrorCode code = e.what() == PrunedException.What.BLOCK ? ErrorCode.BLOCK_PRUNED : ErrorCode.STATE_UNAVAILABLE;
    String setting = e.what() == PrunedException.What.BLOCK ? "storage.retain-blocks" : "storage.retain-state";
    return new RpcFailure(code, e.getMessage() + " (" + setting + "); ask a node that keeps all history",
        Json.MAPPER.createObjectNode().put("height", e.height()).put("retainedFrom", e.retainedFrom()));
  }
}
