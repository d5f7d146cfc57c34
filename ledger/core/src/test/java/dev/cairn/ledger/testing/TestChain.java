package dev.cairn.ledger.testing;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.execution.BlockCheck;
import dev.cairn.ledger.execution.BlockExecutor;
import dev.cairn.ledger.execution.BlockLimits;
import dev.cairn.ledger.execution.ExecutedBlock;
import dev.cairn.ledger.execution.SignatureCheck;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.MerkleRoot;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.MemoryNodeStore;
import dev.cairn.ledger.state.SparseMerkleTree;
import dev.cairn.ledger.state.StateChanges;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.state.TreeUpdate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An in-memory chain for tests: a genesis-like state (validators and funded accounts in an authenticated
 * tree), a {@link BlockExecutor}, and helpers that sign transactions with the right next nonce, build blocks
 * with the round-robin proposer, validate and commit them. Not a store: everything lives in one
 * {@link MemoryNodeStore}.
 */
public final class TestChain {
  public static final long GENESIS_TIMESTAMP_MILLIS = 1_700_000_000_000L;
  public static final long BLOCK_INTERVAL_MILLIS = 1_000;

  private final MemoryNodeStore nodes = new MemoryNodeStore();
  private final BlockExecutor executor;
  private final List<KeyPair> validatorKeys;
  private final Map<PublicKey, Long> nextNonces = new HashMap<>();
  private SparseMerkleTree tree;
  private BlockHeader head;
  private ValidatorSet validators;

  private TestChain(List<KeyPair> validatorKeys, MemoryState genesisState, BlockLimits limits, SignatureCheck signatures) {
    this.validatorKeys = List.copyOf(validatorKeys);
    this.executor = new BlockExecutor(Fixtures.CHAIN_ID, limits, signatures);
    this.validators = new ValidatorSet(validatorKeys.stream().map(KeyPair::publicKey).toList());
    genesisState.validators(validators);
    TreeUpdate update = new SparseMerkleTree(nodes, SparseMerkleTree.EMPTY_ROOT)
        .apply(new StateChanges(toWrites(genesisState)));
    nodes.putAll(update);
    this.tree = new SparseMerkleTree(nodes, update.root());
    this.head = new BlockHeader(0, Hash.ZERO, GENESIS_TIMESTAMP_MILLIS, validators.validators().get(0), 0,
        MerkleRoot.ofTransactions(List.of()), MerkleRoot.ofReceipts(List.of()), update.root(), validators.hash());
  }

  private static SortedMap<Hash, Optional<Bytes>> toWrites(MemoryState s) {
    TreeMap<Hash, Optional<Bytes>> writes = new TreeMap<>();
    s.entries().forEach((k, v) -> writes.put(k, Optional.of(v)));
    return writes;
  }

  /** {@code validatorCount} validators named validator-i (each a member) and the given funded accounts. */
  public static TestChain create(int validatorCount, MemoryState accounts) {
    return create(validatorCount, accounts, BlockLimits.CODEC_MAX);
  }

  public static TestChain create(int validatorCount, MemoryState accounts, BlockLimits limits) {
    return create(validatorCount, accounts, limits, SignatureCheck.VERIFY_EACH);
  }

  /** As above, with the executor checking signatures through {@code signatures} (e.g. one with a memory). */
  public static TestChain create(int validatorCount, MemoryState accounts, BlockLimits limits, SignatureCheck signatures) {
    List<KeyPair> keys = Fixtures.keys("validator", validatorCount);
    MemoryState genesis = accounts.copy();
    for (KeyPair key : keys) {
      if (genesis.account(key.address()).isEmpty()) {
        genesis.account(key, 0, Role.MEMBER);
      }
    }
    return new TestChain(keys, genesis, limits, signatures);
  }

  /** Alice and Bob as funded members, an admin, and four validators. */
  public static TestChain standard() {
    return create(4, new MemoryState()
        .account(Fixtures.key("alice"), 1_000_000, Role.MEMBER)
        .account(Fixtures.key("bob"), 1_000_000, Role.MEMBER)
        .account(Fixtures.key("admin"), 0, Role.MEMBER, Role.ADMIN));
  }

  /** Signs {@code payload} by {@code from} with the next nonce this chain has not handed out yet. */
  public Transaction sign(KeyPair from, Payload payload) {
    long nonce = nextNonces.computeIfAbsent(from.publicKey(), k -> account(from.address()).nonce());
    nextNonces.put(from.publicKey(), nonce + 1);
    return Transaction.sign(Fixtures.CHAIN_ID, from, nonce, payload);
  }

  public Transaction transfer(KeyPair from, Address to, long amount) {
    return sign(from, new Payload.Transfer(to, amount));
  }

  /** Builds the next block at round 0 with the round-robin proposer, without committing it. */
  public ExecutedBlock propose(List<Transaction> candidates) {
    PublicKey proposer = validators.proposer(head.height() + 1, 0);
    return executor.build(head, tree, tree, validators, candidates, proposer, 0,
        head.timestampMillis() + BLOCK_INTERVAL_MILLIS);
  }

  public BlockCheck validate(Block block) {
    return executor.validate(block, head, tree, tree, validators);
  }

  /** Makes {@code executed} the new head (as the node does once a certificate makes it final). */
  public void commit(ExecutedBlock executed) {
    if (!executed.block().header().parentHash().equals(head.hash())) {
      throw new IllegalStateException("block does not extend the head");
    }
    nodes.putAll(executed.treeUpdate());
    tree = new SparseMerkleTree(nodes, executed.block().header().stateRoot());
    head = executed.block().header();
    validators = executed.nextValidators();
  }

  /** Proposes, validates as a peer would, and commits; fails if the peer would reject the block. */
  public ExecutedBlock advance(List<Transaction> txs) {
    ExecutedBlock executed = propose(txs);
    BlockCheck check = validate(executed.block());
    if (!(check instanceof BlockCheck.Valid)) {
      throw new IllegalStateException("own block rejected: " + check);
    }
    commit(executed);
    return executed;
  }

  public Account account(Address address) {
    return tree.get(StateKeys.account(address))
        .map(b -> LedgerCodec.decodeAccount(b.unsafeArray()))
        .orElse(Account.EMPTY);
  }

  public BlockHeader head() {
    return head;
  }

  public SparseMerkleTree tree() {
    return tree;
  }

  public MemoryNodeStore nodes() {
    return nodes;
  }

  public ValidatorSet validators() {
    return validators;
  }

  public List<KeyPair> validatorKeys() {
    return new ArrayList<>(validatorKeys);
  }

  public BlockExecutor executor() {
    return executor;
  }
}
