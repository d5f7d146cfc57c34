package dev.cairn.rpc;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.encoding.CodecException;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.AccountActivity;
import dev.cairn.ledger.model.HistoryPage;
import dev.cairn.ledger.model.RecordChange;
import dev.cairn.ledger.model.TxParty;
import dev.cairn.ledger.model.TxPosition;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.IncludedTransaction;
import dev.cairn.ledger.model.MerkleRoot;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.ReceiptCode;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.MemoryNodeStore;
import dev.cairn.ledger.state.SparseMerkleTree;
import dev.cairn.ledger.state.StateChanges;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.state.TreeUpdate;
import dev.cairn.rpc.TransactionSubmitter.RejectionReason;
import dev.cairn.rpc.TransactionSubmitter.Submission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A test double of the node behind the RPC's narrow interfaces: a real hash-linked chain of real signed
 * blocks kept in memory, with a simple reference admission check. For RPC tests only.
 */
final class InMemoryNode implements ChainView, TransactionSubmitter, NodeStatus, ChainEvents {
  static final String CHAIN_ID = "cairn-test";
  static final int MEMPOOL_CAPACITY = 8;
  static final int NONCE_GAP_MAX = 4;

  final List<KeyPair> validatorKeys = List.of(KeyPair.fromSeedText("v1"), KeyPair.fromSeedText("v2"),
      KeyPair.fromSeedText("v3"), KeyPair.fromSeedText("v4"));
  final ValidatorSet validatorSet = new ValidatorSet(validatorKeys.stream().map(KeyPair::publicKey).toList());
  private final List<FinalizedBlock> blocks = new CopyOnWriteArrayList<>();
  private final List<List<Receipt>> receiptsByHeight = new CopyOnWriteArrayList<>();
  private final Map<Hash, IncludedTransaction> txs = new HashMap<>();
  private final Map<Address, Account> accounts = new HashMap<>();
  private final Map<String, Bytes> records = new HashMap<>();
  private final Map<Hash, Transaction> pending = new LinkedHashMap<>();
  private final List<Consumer<BlockFinalized>> listeners = new CopyOnWriteArrayList<>();
  /** The authenticated state: writes since the last block go into the next block's state root. */
  private final MemoryNodeStore treeNodes = new MemoryNodeStore();
  private final List<Hash> stateRoots = new ArrayList<>();
  private final SortedMap<Hash, Optional<Bytes>> unappliedWrites = new TreeMap<>();
  volatile boolean failReads;
  /** State below this height is treated as pruned: no proofs for it. */
  volatile long stateKeptFromHeight;
  /** When set, account reads signal {@code readEntered} and wait for the gate: a call held in flight. */
  volatile java.util.concurrent.CountDownLatch readGate;
  final java.util.concurrent.CountDownLatch readEntered = new java.util.concurrent.CountDownLatch(1);
  volatile SyncState syncState = new SyncState.Synced();

  /** The changes with a tally in state, as the node's vote index names them. */
  private final List<Payload.ValidatorVote> voteChanges = new ArrayList<>();

  InMemoryNode() {
    unappliedWrites.put(StateKeys.VALIDATOR_SET, Optional.of(Bytes.wrap(LedgerCodec.encode(validatorSet))));
    finalizeBlock(List.of(), List.of());
  }

  /** A pending tally for the next block's state, named by {@link #pendingVoteChanges()}. */
  synchronized void setTally(Payload.ValidatorVote change, dev.cairn.ledger.model.VoteTally tally) {
    voteChanges.remove(change);
    voteChanges.add(change);
    unappliedWrites.put(StateKeys.vote(change.validator(), change.action()), Optional.of(Bytes.wrap(LedgerCodec.encode(tally))));
  }

  @Override
  public synchronized List<Payload.ValidatorVote> pendingVoteChanges() {
    return List.copyOf(voteChanges);
  }

  synchronized void setAccount(Address address, Account account) {
    accounts.put(address, account);
    unappliedWrites.put(StateKeys.account(address), Optional.of(Bytes.wrap(LedgerCodec.encode(account))));
  }

  synchronized void setRecord(Address owner, String key, Bytes value) {
    records.put(owner.toText() + "/" + key, value);
    unappliedWrites.put(StateKeys.record(owner, key), Optional.of(value));
  }

  /** Applies the writes made since the last block to the state tree; returns the new root. */
  private Hash applyWrites() {
    Hash parentRoot = stateRoots.isEmpty() ? SparseMerkleTree.EMPTY_ROOT : stateRoots.get(stateRoots.size() - 1);
    TreeUpdate update = new SparseMerkleTree(treeNodes, parentRoot).apply(new StateChanges(unappliedWrites));
    treeNodes.putAll(update);
    unappliedWrites.clear();
    stateRoots.add(update.root());
    return update.root();
  }

  /** Finalizes a block of {@code included} with the given receipt codes and notifies listeners. */
  FinalizedBlock finalizeBlock(List<Transaction> included, List<ReceiptCode> codes) {
    BlockFinalized event;
    synchronized (this) {
      long height = blocks.size();
      Hash parent = height == 0 ? Hash.ZERO : blocks.get((int) height - 1).block().hash();
      List<Receipt> receipts = new ArrayList<>();
      for (int i = 0; i < included.size(); i++) {
        receipts.add(new Receipt(included.get(i).id(), codes.get(i)));
      }
      BlockHeader header = new BlockHeader(height, parent, 1_700_000_000_000L + height * 1000,
          validatorSet.proposer(height, 0), 0, Block.txRoot(included), MerkleRoot.ofReceipts(receipts),
          applyWrites(), validatorSet.hash());
      Block block = new Block(header, included);
      List<CommitSeal> seals = validatorKeys.stream().map(k -> CommitSeal.sign(k, block.hash())).toList();
      FinalizedBlock finalized = new FinalizedBlock(block, new CommitCertificate(block.hash(), seals));
      blocks.add(finalized);
      receiptsByHeight.add(List.copyOf(receipts));
      for (int i = 0; i < included.size(); i++) {
        Transaction tx = included.get(i);
        txs.put(tx.id(), new IncludedTransaction(tx, receipts.get(i), height, block.hash(), i));
        pending.remove(tx.id());
      }
      event = new BlockFinalized(finalized, receipts);
    }
    for (Consumer<BlockFinalized> listener : listeners) {
      listener.accept(event);
    }
    return event.block();
  }

  /** Announces an event again without changing the chain: for load on subscribers. */
  void publish(BlockFinalized event) {
    for (Consumer<BlockFinalized> listener : listeners) {
      listener.accept(event);
    }
  }

  private void maybeFail() {
    if (failReads) {
      throw new IllegalStateException("simulated storage failure at /var/lib/cairn/db");
    }
  }

  @Override
  public String chainId() {
    return CHAIN_ID;
  }

  @Override
  public synchronized long headHeight() {
    return blocks.size() - 1;
  }

  @Override
  public Optional<FinalizedBlock> blockByHeight(long height) {
    maybeFail();
    return height < blocks.size() ? Optional.of(blocks.get((int) height)) : Optional.empty();
  }

  @Override
  public Optional<FinalizedBlock> blockByHash(Hash blockHash) {
    return blocks.stream().filter(b -> b.block().hash().equals(blockHash)).findFirst();
  }

  @Override
  public synchronized Optional<IncludedTransaction> transaction(Hash txId) {
    return Optional.ofNullable(txs.get(txId));
  }

  @Override
  public Account account(Address address) {
    java.util.concurrent.CountDownLatch gate = readGate;
    if (gate != null) {
      readEntered.countDown();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return accountNow(address);
  }

  private synchronized Account accountNow(Address address) {
    maybeFail();
    return accounts.getOrDefault(address, Account.EMPTY);
  }

  @Override
  public synchronized Optional<Bytes> record(Address owner, String recordKey) {
    return Optional.ofNullable(records.get(owner.toText() + "/" + recordKey));
  }

  @Override
  public Optional<ValidatorSet> validators(long height) {
    return height <= headHeight() ? Optional.of(validatorSet) : Optional.empty();
  }

  @Override
  public Optional<List<Receipt>> receipts(long height) {
    maybeFail();
    return height < 0 || height >= receiptsByHeight.size() ? Optional.empty()
        : Optional.of(receiptsByHeight.get((int) height));
  }

  /** The reference history: a walk down every block and transaction, newest first. */
  private <T> HistoryPage<T> history(Optional<TxPosition> before, int limit,
      java.util.function.BiFunction<IncludedTransaction, Long, Optional<T>> select, java.util.function.Function<T, TxPosition> at) {
    maybeFail();
    if (limit < 1 || limit > HISTORY_PAGE_ENTRIES_MAX) {
      throw new IllegalArgumentException("limit 1.." + HISTORY_PAGE_ENTRIES_MAX);
    }
    List<T> found = new ArrayList<>();
    for (int h = blocks.size() - 1; h >= 0 && found.size() <= limit; h--) {
      Block block = blocks.get(h).block();
      for (int i = block.transactions().size() - 1; i >= 0 && found.size() <= limit; i--) {
        if (before.isPresent() && new TxPosition(h, i).compareTo(before.get()) >= 0) {
          continue;
        }
        IncludedTransaction included = new IncludedTransaction(block.transactions().get(i),
            receiptsByHeight.get(h).get(i), h, block.hash(), i);
        select.apply(included, block.header().timestampMillis()).ifPresent(found::add);
      }
    }
    boolean more = found.size() > limit;
    List<T> page = more ? found.subList(0, limit) : found;
    return new HistoryPage<>(page, more ? Optional.of(at.apply(page.get(page.size() - 1))) : Optional.empty());
  }

  @Override
  public HistoryPage<AccountActivity> accountHistory(Address account, Optional<TxPosition> before, int limit) {
    return history(before, limit, (included, time) -> Optional.ofNullable(TxParty.of(included.transaction()).get(account))
        .map(parties -> new AccountActivity(included, time, parties)), AccountActivity::position);
  }

  @Override
  public HistoryPage<RecordChange> recordHistory(Address owner, String recordKey, Optional<TxPosition> before, int limit) {
    return history(before, limit, (included, time) -> included.transaction().payload() instanceof Payload.RecordPut put
        && put.key().equals(recordKey) && included.transaction().senderAddress().equals(owner) && included.receipt().isSuccess()
        ? Optional.of(new RecordChange(included, time)) : Optional.empty(), RecordChange::position);
  }

  @Override
  public synchronized Optional<ProvenValue> proof(long height, Hash stateKey) {
    if (height > headHeight() || height < stateKeptFromHeight) {
      return Optional.empty();
    }
    SparseMerkleTree tree = new SparseMerkleTree(treeNodes, stateRoots.get((int) height));
    return Optional.of(new ProvenValue(stateKey, tree.get(stateKey), tree.prove(stateKey)));
  }

  @Override
  public synchronized Submission submit(Bytes encoded) {
    Transaction tx;
    try {
      tx = TransactionCodec.decode(encoded);
    } catch (CodecException e) {
      return new Submission.Rejected(RejectionReason.MALFORMED, e.getMessage());
    }
    if (!tx.chainId().equals(CHAIN_ID)) {
      return new Submission.Rejected(RejectionReason.WRONG_CHAIN_ID, "expected " + CHAIN_ID + ", got " + tx.chainId());
    }
    if (!tx.hasValidSignature()) {
      return new Submission.Rejected(RejectionReason.BAD_SIGNATURE, "signature does not verify");
    }
    Account sender = accounts.getOrDefault(tx.senderAddress(), Account.EMPTY);
    if (!sender.has(Role.MEMBER)) {
      return new Submission.Rejected(RejectionReason.NOT_A_MEMBER, tx.senderAddress() + " is not a member");
    }
    if (tx.nonce() < sender.nonce()) {
      return new Submission.Rejected(RejectionReason.NONCE_TOO_LOW, "nonce " + tx.nonce() + " < " + sender.nonce());
    }
    if (tx.nonce() > sender.nonce() + NONCE_GAP_MAX) {
      return new Submission.Rejected(RejectionReason.NONCE_GAP_TOO_LARGE, "nonce " + tx.nonce() + " too far ahead");
    }
    if (pending.containsKey(tx.id())) {
      return new Submission.Rejected(RejectionReason.DUPLICATE, "already pending");
    }
    if (tx.payload() instanceof Payload.Transfer t && t.amount() > sender.balance()) {
      return new Submission.Rejected(RejectionReason.INSUFFICIENT_BALANCE, "balance " + sender.balance());
    }
    if (pending.size() >= MEMPOOL_CAPACITY) {
      return new Submission.Rejected(RejectionReason.MEMPOOL_FULL, "capacity " + MEMPOOL_CAPACITY);
    }
    pending.put(tx.id(), tx);
    return new Submission.Accepted(tx.id());
  }

  @Override
  public Info info() {
    return new Info("0.1.0-test", "12D3KooWTest", Optional.of(validatorKeys.get(0).publicKey()), 3);
  }

  @Override
  public SyncState syncState() {
    return syncState;
  }

  @Override
  public synchronized int pendingCount() {
    return pending.size();
  }

  @Override
  public synchronized List<Transaction> pendingTransactions(int limit) {
    return pending.values().stream().limit(limit).toList();
  }

  /** Runs once, at the next pending read: lets a test finalize a block between the RPC's chain and pending reads. */
  volatile Runnable beforeNextPendingRead;

  @Override
  public Optional<Transaction> pendingTransaction(Hash txId) {
    Runnable hook = beforeNextPendingRead;
    if (hook != null) {
      beforeNextPendingRead = null;
      hook.run();
    }
    synchronized (this) {
      return Optional.ofNullable(pending.get(txId));
    }
  }

  synchronized List<Transaction> takePending() {
    return List.copyOf(pending.values());
  }

  @Override
  public Listening onBlockFinalized(Consumer<BlockFinalized> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }
}
