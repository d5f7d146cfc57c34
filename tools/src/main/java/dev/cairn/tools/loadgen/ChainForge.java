package dev.cairn.tools.loadgen;

import dev.cairn.genesis.GenesisBlock;
import dev.cairn.genesis.GenesisConfig;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.execution.BlockExecutor;
import dev.cairn.ledger.execution.BlockLimits;
import dev.cairn.ledger.execution.Candidate;
import dev.cairn.ledger.execution.ExecutedBlock;
import dev.cairn.ledger.execution.SignatureCheck;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.SparseMerkleTree;
import dev.cairn.ledger.store.ChainStore;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Writes a long chain into a store without running consensus, with the code the validators run: the genesis
 * block of {@code genesis}, then each block built by the node's {@link BlockExecutor} from signed transfers,
 * proposed by the round-0 proposer of its height, and committed by {@link ChainStore#commit} with a
 * certificate of commit seals from a quorum of the validators' own keys. The result is a chain the validators
 * could have finalized (round 0 everywhere, a quorum of seals), which block sync and state sync verify as any other.
 *
 * <p>The transfers: the first blocks create {@code stateAccounts} receive-only accounts ({@link StateAccounts}, one
 * transfer of 1 unit each, {@code creationsPerBlock} per block); every later block carries {@code transfersPerBlock}
 * transfers to pseudo-random ones of them, so the state keeps changing all the way to the head. Transfer j is sent by
 * sender {@code j % K} with its next nonce. Block i's timestamp is the genesis time + i x {@code blockPeriodMillis}.
 */
public final class ChainForge {
  /** Transfers signed ahead at a time, in parallel over all cores: bounds the memory they hold. */
  static final int SIGN_AHEAD_TXS = 20_000;

  /** What to forge. */
  public record Plan(int stateAccounts, long blocks, int creationsPerBlock, int transfersPerBlock, long blockPeriodMillis) {
    public Plan {
      if (stateAccounts < 1 || blocks < 1 || creationsPerBlock < 1 || transfersPerBlock < 0 || blockPeriodMillis < 1) {
        throw new IllegalArgumentException("forge plan needs positive accounts, blocks, creations per block and period: " + stateAccounts
            + ", " + blocks + ", " + creationsPerBlock + ", " + blockPeriodMillis);
      }
      if (creationBlocks(stateAccounts, creationsPerBlock) > blocks) {
        throw new IllegalArgumentException(stateAccounts + " accounts at " + creationsPerBlock + " per block need "
            + creationBlocks(stateAccounts, creationsPerBlock) + " blocks, more than the " + blocks + " asked for");
      }
    }

    static long creationBlocks(int accounts, int perBlock) {
      return (accounts + perBlock - 1L) / perBlock;
    }

    /** Transactions in block {@code height} (1-based). */
    int txsAt(long height) {
      long created = (height - 1) * creationsPerBlock;
      return created < stateAccounts ? (int) Math.min(creationsPerBlock, stateAccounts - created) : transfersPerBlock;
    }
  }

  /** What was written: the head, the transactions, and how long it took. */
  public record Result(long height, Hash headHash, long txs, double seconds) {}

  private final GenesisConfig genesis;
  private final List<KeyPair> validatorKeys;
  private final List<KeyPair> senders;
  private final Plan plan;
  private final PrintStream progress;
  private final long[] nonces;
  /** Ids of the transfers signed here and not yet committed: the forge's signature cache, as the mempool's is the node's. */
  private final Set<Hash> signedHere = ConcurrentHashMap.newKeySet();
  private final StateAccounts targets;
  private long txsSigned;

  public ChainForge(GenesisConfig genesis, List<KeyPair> validatorKeys, List<KeyPair> senders, Plan plan, PrintStream progress) {
    this.genesis = genesis;
    this.validatorKeys = List.copyOf(validatorKeys);
    this.senders = List.copyOf(senders);
    this.plan = plan;
    this.progress = progress;
    this.nonces = new long[senders.size()];
    this.targets = new StateAccounts(plan.stateAccounts(), 0x5eed);
  }

  /** Forges the whole chain into {@code store}, which must be empty. */
  public Result forge(ChainStore store) {
    if (store.head().isPresent()) {
      throw new IllegalStateException("the forge writes into an empty store; this one is at height " + store.head().get().height());
    }
    GenesisBlock genesisBlock = GenesisBlock.of(genesis);
    store.commit(genesisBlock.executed(), genesisBlock.certificate());
    Map<PublicKey, KeyPair> keys = new HashMap<>();
    validatorKeys.forEach(k -> keys.put(k.publicKey(), k));
    BlockLimits limits = new BlockLimits(genesis.consensus().blockTxsMax(), genesis.consensus().blockBytesMax());
    SignatureCheck signedByTheForge = (id, tx) -> signedHere.contains(id);
    BlockExecutor executor = new BlockExecutor(genesis.chainId(), limits, signedByTheForge);
    BlockHeader head = genesisBlock.block().header();
    long start = System.nanoTime();
    long lastPrint = start;
    long txs = 0;
    List<Candidate> pending = new ArrayList<>();
    int pendingFrom = 0;
    for (long height = 1; height <= plan.blocks(); height++) {
      int n = plan.txsAt(height);
      if (pending.size() - pendingFrom < n) {
        pending = new ArrayList<>(pending.subList(pendingFrom, pending.size()));
        pendingFrom = 0;
        pending.addAll(signAhead(height));
      }
      List<Candidate> candidates = pending.subList(pendingFrom, pendingFrom + n);
      pendingFrom += n;
      long at = height;
      ValidatorSet validators = store.validatorsAt(height)
          .orElseThrow(() -> new IllegalStateException("no validator set stored for height " + at));
      PublicKey proposer = validators.proposer(height, 0);
      ExecutedBlock block = executor.buildFrom(head, store.state(), new SparseMerkleTree(store.nodes(), head.stateRoot()),
          validators, candidates, proposer, 0, genesis.genesisTimeMillis() + height * plan.blockPeriodMillis());
      if (block.block().transactions().size() != n) {
        throw new IllegalStateException("block " + height + " took " + block.block().transactions().size() + " of its " + n
            + " transfers: the forge's nonces or limits are wrong");
      }
      store.commit(block, certify(block.block().hash(), validators, keys));
      for (Candidate c : candidates) {
        signedHere.remove(c.id());
      }
      head = block.block().header();
      txs += n;
      long now = System.nanoTime();
      if (now - lastPrint >= 10_000_000_000L || height == plan.blocks()) {
        lastPrint = now;
        double seconds = (now - start) / 1e9;
        double rate = height / seconds;
        progress.printf(Locale.ROOT, "forge: block %d/%d (%.0f%%), %d txs, %.0f blocks/s, %.0f s, eta %.0f s%n", height, plan.blocks(),
            100.0 * height / plan.blocks(), txs, rate, seconds, (plan.blocks() - height) / rate);
      }
    }
    return new Result(head.height(), head.hash(), txs, (System.nanoTime() - start) / 1e9);
  }

  /** Commit seals of the quorum of validators that come first in the set's order (a certificate needs no more). */
  static CommitCertificate certify(Hash blockHash, ValidatorSet validators, Map<PublicKey, KeyPair> keys) {
    List<CommitSeal> seals = new ArrayList<>();
    for (PublicKey v : validators.validators()) {
      if (seals.size() == validators.quorum()) {
        break;
      }
      KeyPair key = keys.get(v);
      if (key != null) {
        seals.add(CommitSeal.sign(key, blockHash));
      }
    }
    if (seals.size() < validators.quorum()) {
      throw new IllegalStateException("the forge holds " + seals.size() + " of the validators' keys, a quorum is " + validators.quorum());
    }
    return new CommitCertificate(blockHash, seals);
  }

  /** Signs the transfers of the blocks from {@code height} on, at least one block's and about {@link #SIGN_AHEAD_TXS}. */
  private List<Candidate> signAhead(long height) {
    List<Long> txHeights = new ArrayList<>();
    int count = 0;
    for (long h = height; h <= plan.blocks() && (count == 0 || count + plan.txsAt(h) <= SIGN_AHEAD_TXS); h++) {
      count += plan.txsAt(h);
      txHeights.add(h);
    }
    int k = senders.size();
    long first = txsSigned;
    long[] nonceOf = new long[count];
    for (int i = 0; i < count; i++) {
      int s = (int) ((first + i) % k);
      nonceOf[i] = nonces[s]++;
    }
    Candidate[] signed = new Candidate[count];
    IntStream.range(0, count).parallel().forEach(i -> {
      long j = first + i;
      Transaction tx = Transaction.sign(genesis.chainId(), senders.get((int) (j % k)), nonceOf[i],
          new Payload.Transfer(StateAccounts.address(recipientOf(j)), 1));
      Candidate c = Candidate.of(tx);
      signedHere.add(c.id());
      signed[i] = c;
    });
    txsSigned += count;
    return List.of(signed);
  }

  /** Transfer j creates state account j while they are being created, then goes to a pseudo-random existing one. */
  private int recipientOf(long j) {
    return j < plan.stateAccounts() ? (int) j : targets.recipientIndex((int) (j % Integer.MAX_VALUE));
  }
}
