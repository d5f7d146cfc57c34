package dev.cairn.adversary;

import java.util.Optional;
import dev.cairn.genesis.GenesisBlock;
import dev.cairn.genesis.GenesisConfig;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.execution.BlockExecutor;
import dev.cairn.ledger.execution.BlockLimits;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.state.OverlayNodeStore;
import dev.cairn.ledger.state.SparseMerkleTree;
import dev.cairn.ledger.state.StateChanges;
import dev.cairn.ledger.state.TreeNodeStore;
import dev.cairn.ledger.state.TreeUpdate;
import dev.cairn.network.ports.SnapshotSource;
import dev.cairn.node.Node;
import java.util.TreeMap;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.state.StateProof;
import dev.cairn.ledger.store.ChainStore;
import dev.cairn.ledger.store.StoreConfig;
import dev.cairn.chain.LocalChain;
import dev.cairn.mempool.Mempool;
import dev.cairn.mempool.MempoolConfig;
import dev.cairn.mempool.SignatureCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The attacker's own copy of the chain, so that the blocks it proposes execute on every honest node: a
 * RocksDB {@link ChainStore} in a scratch directory, started from genesis and fed finalized blocks (checked
 * and re-executed by the node's {@link LocalChain}, as sync does), and the node's {@link BlockExecutor} to
 * build blocks from any transactions the attacker likes.
 */
final class ShadowChain implements AutoCloseable {
  private static final int SIGNATURES_CACHED_MAX = 100_000;

  private final Path dir;
  private final ChainStore store;
  private final LocalChain chain;
  private final BlockExecutor executor;

  private ShadowChain(Path dir, ChainStore store, LocalChain chain, BlockExecutor executor) {
    this.dir = dir;
    this.store = store;
    this.chain = chain;
    this.executor = executor;
  }

  /**
   * The chain in {@code dir}: resumed at the head a previous run left there when that store holds this
   * genesis, otherwise emptied and started at genesis. Resuming matters on a long network: replaying every
   * block from genesis (each re-executed, every signature checked) took a whole 10-minute soak phase once the
   * chain held a few hundred thousand transactions, and an attack re-run in a phase paid it again each time.
   */
  static ShadowChain open(Path dir, GenesisConfig genesis) {
    GenesisBlock genesisBlock = GenesisBlock.of(genesis);
    ChainStore store = resumable(dir, genesisBlock);
    if (store == null) {
      deleteRecursively(dir);
      store = ChainStore.open(dir, StoreConfig.small());
      store.commit(genesisBlock.executed(), genesisBlock.certificate());
    }
    SignatureCache signatures = new SignatureCache(SIGNATURES_CACHED_MAX);
    BlockLimits limits = new BlockLimits(genesis.consensus().blockTxsMax(), genesis.consensus().blockBytesMax());
    BlockExecutor executor = new BlockExecutor(genesis.chainId(), limits, signatures);
    Mempool unused = new Mempool(genesis.chainId(), MempoolConfig.DEFAULT, signatures);
    return new ShadowChain(dir, store, new LocalChain(store, executor, limits, unused), executor);
  }

  /** The store in {@code dir} if one is there, opens cleanly and holds {@code genesis}; else null (closed). */
  private static ChainStore resumable(Path dir, GenesisBlock genesis) {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    ChainStore store;
    try {
      store = ChainStore.open(dir, StoreConfig.small());
    } catch (RuntimeException unusable) {
      return null; // another schema, a torn write, not a store at all: start over
    }
    if (store.head().isPresent() && store.genesisHash().equals(Optional.of(genesis.hash()))) {
      return store;
    }
    store.close();
    return null;
  }

  synchronized BlockHeader head() {
    return chain.head();
  }

  synchronized ValidatorSet nextValidators() {
    return chain.nextValidators();
  }

  /** Imports the next finalized blocks; stops at the first that does not follow or does not check. */
  synchronized int importBlocks(List<FinalizedBlock> blocks) {
    int imported = 0;
    for (FinalizedBlock block : blocks) {
      if (block.block().height() != chain.head().height() + 1) {
        continue;
      }
      Validation outcome = chain.importFinalized(block);
      if (!outcome.isValid()) {
        break;
      }
      imported++;
    }
    return imported;
  }

  /** Catches up with whatever {@code faces}' targets have finalized; returns the new head height. */
  long catchUp(PeerFaces faces) {
    while (true) {
      List<FinalizedBlock> blocks = faces.blocksFrom(head().height() + 1, 64);
      if (blocks.isEmpty() || importBlocks(blocks) == 0) {
        return head().height();
      }
    }
  }

  /** The finalized block at {@code height}, if this copy has it. */
  synchronized Optional<FinalizedBlock> block(long height) {
    List<FinalizedBlock> one = store.blocks(height, 1, Long.MAX_VALUE);
    return one.isEmpty() || one.get(0).block().height() != height ? Optional.empty() : Optional.of(one.get(0));
  }

  /** Finalized blocks from {@code fromHeight}, as the node's blocks-by-range server reads them. */
  synchronized List<FinalizedBlock> blocks(long fromHeight, int countMax, long bytesMax) {
    return store.blocks(fromHeight, countMax, bytesMax);
  }

  synchronized Optional<BlockHeader> header(long height) {
    return store.header(height);
  }

  synchronized Optional<CommitCertificate> certificate(long height) {
    return store.certificate(height);
  }

  /** The real proof of {@code key} in the state after block {@code height}. */
  synchronized StateProof prove(long height, Hash key) {
    return chain.prove(height, key);
  }

  /** What an honest node serves on the snapshot and set-changes protocols, read from this copy. */
  SnapshotSource snapshots() {
    return Node.snapshots(chain);
  }

  /**
   * The state after block {@code height} with {@code key} set to {@code value}: a state no validator signed, whose
   * tree (its new nodes over this copy's) proves every chunk against its own root, as a complete forged snapshot does.
   */
  synchronized ForgedState forge(long height, Hash key, Bytes value) {
    BlockHeader header = store.header(height)
        .orElseThrow(() -> new SnapshotSource.SnapshotUnavailableException("no header at height " + height));
    TreeMap<Hash, Optional<Bytes>> writes = new TreeMap<>();
    writes.put(key, Optional.of(value));
    TreeUpdate update = new SparseMerkleTree(store.nodes(), header.stateRoot()).apply(new StateChanges(writes));
    return new ForgedState(header, update.root(), new OverlayNodeStore(store.nodes(), update));
  }

  /** A forged state: the real header it was forged from, the forged root, the nodes that prove it. */
  record ForgedState(BlockHeader realHeader, Hash root, TreeNodeStore nodes) {}

  /** The next nonce of {@code account} at the head. */
  synchronized long nonce(PublicKey account) {
    return store.state().get(StateKeys.account(Address.of(account)))
        .map(bytes -> LedgerCodec.decodeAccount(bytes.unsafeArray()))
        .map(Account::nonce)
        .orElse(0L);
  }

  /**
   * A block on the head built from {@code candidates} (in order, within the chain's limits; those that would
   * not execute are left out), proposed by {@code proposer} in {@code round}: valid on every honest node.
   */
  synchronized Block build(List<Transaction> candidates, PublicKey proposer, int round, long timestampMillis) {
    BlockHeader head = chain.head();
    return executor.build(head, store.state(), new SparseMerkleTree(store.nodes(), head.stateRoot()),
        chain.nextValidators(), candidates, proposer, round, timestampMillis).block();
  }

  /**
   * {@code block} with another timestamp: as valid (execution does not read the timestamp, the header only
   * has to stay at or after its parent's), as large, another hash.
   */
  static Block retimed(Block block, long timestampMillis) {
    BlockHeader h = block.header();
    return new Block(new BlockHeader(h.height(), h.parentHash(), timestampMillis, h.proposer(), h.round(), h.txRoot(),
        h.receiptsRoot(), h.stateRoot(), h.validatorSetHash()), block.transactions());
  }

  /** Closes the store and keeps it, so that the next {@link #open} on the same directory resumes from it. */
  @Override
  public synchronized void close() {
    store.close();
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
