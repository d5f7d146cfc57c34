package dev.cairn.bench;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.execution.BlockCheck;
import dev.cairn.ledger.execution.BlockExecutor;
import dev.cairn.ledger.execution.BlockLimits;
import dev.cairn.ledger.execution.ExecutedBlock;
import dev.cairn.ledger.execution.StateTransition;
import dev.cairn.ledger.execution.TransitionResult;
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
import dev.cairn.ledger.state.StateReader;
import dev.cairn.ledger.state.TreeUpdate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One block of 5,000 transfers from 5,000 senders to random recipients, on a state of {@code accounts}
 * accounts held in an in-memory sparse Merkle tree: the state transition alone (reading through the tree,
 * and reading a flat map as the node reads the store's flat state), the transition plus the tree update,
 * and full validation (chain ids, ids, tx root, nonces, execution, receipts and state roots)
 * with signatures taken as already verified, as the node's signature cache does. The RocksDB commit is
 * measured by the store's own benchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx8g", "-XX:+UseParallelGC"})
public class BlockExecutionBenchmark {
  private static final String CHAIN_ID = "cairn-bench";
  private static final int SENDERS = 5_000;

  @Param({"1000000"})
  public int accounts;

  private SparseMerkleTree tree;
  /** The same state as a plain hash map, standing in for the store's flat state (one lookup per key). */
  private StateReader flat;
  private ValidatorSet validators;
  private List<Transaction> txs;
  private List<Hash> ids;
  private Block block;
  private BlockHeader parent;
  private BlockExecutor executor;

  @Setup
  public void setup() {
    Random random = new Random(42);
    KeyPair validator = KeyPair.fromSeedText("bench-validator");
    validators = new ValidatorSet(List.of(validator.publicKey()));
    List<KeyPair> senders = new ArrayList<>(SENDERS);
    TreeMap<Hash, Optional<Bytes>> genesis = new TreeMap<>();
    Bytes funded = Bytes.wrap(LedgerCodec.encode(new Account(1_000_000_000L, 0, Set.of(Role.MEMBER))));
    for (int i = 0; i < SENDERS; i++) {
      KeyPair key = KeyPair.fromSeedText("bench-sender-" + i);
      senders.add(key);
      genesis.put(StateKeys.account(key.address()), Optional.of(funded));
    }
    List<Address> others = new ArrayList<>(accounts);
    for (int i = SENDERS; i < accounts; i++) {
      byte[] raw = new byte[Address.SIZE];
      random.nextBytes(raw);
      Address address = new Address(Bytes.wrap(raw));
      others.add(address);
      genesis.put(StateKeys.account(address), Optional.of(funded));
    }
    genesis.put(StateKeys.VALIDATOR_SET, Optional.of(Bytes.wrap(LedgerCodec.encode(validators))));
    MemoryNodeStore nodes = new MemoryNodeStore();
    TreeUpdate update = new SparseMerkleTree(nodes, SparseMerkleTree.EMPTY_ROOT).apply(new StateChanges(genesis));
    nodes.putAll(update);
    tree = new SparseMerkleTree(nodes, update.root());
    HashMap<Hash, Bytes> flatValues = new HashMap<>(genesis.size() * 2);
    genesis.forEach((k, v) -> flatValues.put(k, v.orElseThrow()));
    flat = key -> Optional.ofNullable(flatValues.get(key));

    txs = new ArrayList<>(SENDERS);
    ids = new ArrayList<>(SENDERS);
    for (KeyPair sender : senders) {
      Address to = others.get(random.nextInt(others.size()));
      Transaction tx = Transaction.sign(CHAIN_ID, sender, 0, new Payload.Transfer(to, 1 + random.nextInt(1_000)));
      txs.add(tx);
      ids.add(tx.id());
    }
    parent = new BlockHeader(0, Hash.ZERO, 0, validator.publicKey(), 0, MerkleRoot.ofTransactions(List.of()),
        MerkleRoot.ofReceipts(List.of()), tree.root(), validators.hash());
    executor = new BlockExecutor(CHAIN_ID, BlockLimits.CODEC_MAX, (id, tx) -> true);
    ExecutedBlock built = executor.build(parent, tree, tree, validators, txs, validator.publicKey(), 0, 1);
    if (built.block().transactions().size() != SENDERS) {
      throw new IllegalStateException("setup built a block of " + built.block().transactions().size());
    }
    block = built.block();
  }

  @Benchmark
  public TransitionResult transition() {
    return StateTransition.apply(tree, validators, txs, ids);
  }

  @Benchmark
  public TransitionResult transitionOnFlatState() {
    return StateTransition.apply(flat, validators, txs, ids);
  }

  @Benchmark
  public TreeUpdate transitionAndTreeUpdate() {
    return tree.apply(StateTransition.apply(flat, validators, txs, ids).changes());
  }

  @Benchmark
  public BlockCheck validateBlock() {
    BlockCheck check = executor.validate(block, parent, flat, tree, validators);
    if (!check.isValid()) {
      throw new IllegalStateException("benchmark block invalid: " + check);
    }
    return check;
  }
}
