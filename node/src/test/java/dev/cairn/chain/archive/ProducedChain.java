package dev.cairn.chain.archive;

import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.GenesisAccount;
import dev.cairn.genesis.GenesisConfig;
import dev.cairn.genesis.GenesisWriter;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.execution.BlockExecutor;
import dev.cairn.ledger.execution.BlockLimits;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.store.ChainStore;
import dev.cairn.node.Node;
import dev.cairn.chain.LocalChain;
import dev.cairn.node.config.ConfigException;
import dev.cairn.node.config.ConfigLoader;
import dev.cairn.node.config.NodeConfig;
import dev.cairn.mempool.Admission;
import dev.cairn.mempool.Mempool;
import dev.cairn.mempool.MempoolConfig;
import dev.cairn.mempool.SignatureCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

/**
 * A real single-validator chain in a data dir (RocksDB, genesis.json beside it), grown block by block through
 * the node's own LocalChain: transfers and record writes from a funded account, each block sealed by the
 * validator. For the export, import, backup and pruning tests.
 */
public final class ProducedChain implements AutoCloseable {
  public static final KeyPair VALIDATOR = KeyPair.fromSeedText("archive-validator");
  public static final KeyPair SENDER = KeyPair.fromSeedText("archive-sender");
  public static final String CHAIN_ID = "cairn-archive-test";

  public final Path dataDir;
  public final GenesisConfig genesis;
  public final ChainStore store;
  public final LocalChain chain;
  private final Mempool mempool;
  private long nonce;

  private ProducedChain(Path dataDir, GenesisConfig genesis, ChainStore store, LocalChain chain, Mempool mempool) {
    this.dataDir = dataDir;
    this.genesis = genesis;
    this.store = store;
    this.chain = chain;
    this.mempool = mempool;
  }

  public static GenesisConfig genesis() {
    return genesis(CHAIN_ID);
  }

  public static GenesisConfig genesis(String chainId) {
    return genesis(chainId, false);
  }

  /** {@code emptyBlocks}: a node of this genesis proposes blocks without transactions too (for node tests). */
  public static GenesisConfig genesis(String chainId, boolean emptyBlocks) {
    return new GenesisConfig(chainId, 1_700_000_000_000L,
        new ConsensusParameters(1000, 4000, 60_000, 1_000, 8 * 1024 * 1024, emptyBlocks), List.of(VALIDATOR.publicKey()),
        List.of(new GenesisAccount(SENDER.address(), 1_000_000_000L, EnumSet.of(Role.MEMBER))), List.of());
  }

  public static NodeConfig config(Path dataDir, String... settings) throws ConfigException {
    ConfigLoader loader = ConfigLoader.defaults().with("node.data-dir", dataDir.toString())
        .with("node.genesis-file", dataDir.resolve("genesis.json").toString());
    for (String setting : settings) {
      int eq = setting.indexOf('=');
      loader = loader.with(setting.substring(0, eq), setting.substring(eq + 1));
    }
    return loader.build(dataDir);
  }

  /** A data dir holding only genesis (and genesis.json), open. */
  public static ProducedChain create(Path dataDir, String... settings) throws Exception {
    return open(dataDir, genesis(), settings);
  }

  public static ProducedChain open(Path dataDir, GenesisConfig genesis, String... settings) throws Exception {
    Files.createDirectories(dataDir);
    if (!Files.exists(dataDir.resolve("genesis.json"))) {
      GenesisWriter.write(dataDir.resolve("genesis.json"), genesis);
    }
    NodeConfig config = config(dataDir, settings);
    ChainStore store = Node.openStore(config, genesis);
    SignatureCache signatures = new SignatureCache(10_000);
    BlockLimits limits = new BlockLimits(genesis.consensus().blockTxsMax(), genesis.consensus().blockBytesMax());
    Mempool mempool = new Mempool(genesis.chainId(), MempoolConfig.DEFAULT, signatures);
    LocalChain chain = new LocalChain(store, new BlockExecutor(genesis.chainId(), limits, signatures), limits, mempool);
    ProducedChain produced = new ProducedChain(dataDir, genesis, store, chain, mempool);
    produced.nonce = store.head().orElseThrow().height() == 0 ? 0 : produced.senderNonce();
    return produced;
  }

  private long senderNonce() {
    return chain.store().state().get(dev.cairn.ledger.state.StateKeys.account(SENDER.address()))
        .map(b -> dev.cairn.ledger.codec.LedgerCodec.decodeAccount(b.unsafeArray()).nonce()).orElse(0L);
  }

  /**
   * Commits {@code blocks} blocks of {@code txsPerBlock} transactions each: transfers to a handful of
   * recipients and record writes that often set a key back to an earlier value (so that state nodes come
   * back after being replaced, which pruning must survive).
   */
  public void grow(int blocks, int txsPerBlock) {
    for (int b = 0; b < blocks; b++) {
      for (int t = 0; t < txsPerBlock; t++) {
        long n = nonce++;
        Payload payload = n % 3 == 0
            ? new Payload.Transfer(KeyPair.fromSeedText("recipient-" + (n % 7)).address(), 1 + n % 5)
            : new Payload.RecordPut("key-" + (n % 5), dev.cairn.ledger.bytes.Bytes.wrap(("v" + (n % 4)).getBytes()));
        Transaction tx = Transaction.sign(genesis.chainId(), SENDER, n, payload);
        if (mempool.admit(TransactionCodec.encode(tx), store.state()) instanceof Admission.Rejected rejected) {
          throw new IllegalStateException("mempool refused a test transaction: " + rejected);
        }
      }
      long time = chain.head().timestampMillis() + 1_000;
      Block block = chain.buildCandidate(0, VALIDATOR.publicKey(), time);
      chain.commit(certified(block));
    }
  }

  public static FinalizedBlock certified(Block block) {
    return new FinalizedBlock(block, new CommitCertificate(block.hash(), List.of(CommitSeal.sign(VALIDATOR, block.hash()))));
  }

  @Override
  public void close() {
    store.close();
  }
}
