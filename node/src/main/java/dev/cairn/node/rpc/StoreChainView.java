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
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.SparseMerkleTree;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.store.ChainHead;
import dev.cairn.ledger.store.ChainStore;
import dev.cairn.rpc.ChainView;
import dev.cairn.ledger.model.IncludedTransaction;
import dev.cairn.rpc.ProvenValue;
import java.util.List;
import java.util.Optional;

/** JSON-RPC's read view of the chain: committed data only, straight from the RocksDB store. */
public final class StoreChainView implements ChainView {
  private final String chainId;
  private final ChainStore store;

  public StoreChainView(String chainId, ChainStore store) {
    this.chainId = chainId;
    this.store = store;
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
    return store.finalizedBlock(height);
  }

  @Override
  public Optional<FinalizedBlock> blockByHash(Hash blockHash) {
    return store.finalizedBlock(blockHash);
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
    SparseMerkleTree tree = new SparseMerkleTree(store.nodes(), header.get().stateRoot());
    return Optional.of(new ProvenValue(stateKey, tree.get(stateKey), tree.prove(stateKey)));
  }
}
