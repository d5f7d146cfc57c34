package dev.cairn.node.cli;

import dev.cairn.genesis.GenesisConfig;
import dev.cairn.ledger.execution.BlockExecutor;
import dev.cairn.ledger.execution.BlockLimits;
import dev.cairn.ledger.store.ChainStore;
import dev.cairn.node.Node;
import dev.cairn.chain.archive.BlockArchive;
import dev.cairn.chain.archive.BlockArchiveReader;
import dev.cairn.chain.archive.BlockExport;
import dev.cairn.chain.archive.BlockImport;
import dev.cairn.chain.LocalChain;
import dev.cairn.node.config.NodeConfig;
import dev.cairn.mempool.Mempool;
import dev.cairn.mempool.MempoolConfig;
import dev.cairn.mempool.SignatureCache;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn blocks export|import}: finalized blocks with their certificates to and from a block archive. */
@Command(name = "blocks", mixinStandardHelpOptions = true,
    description = "Export finalized blocks to a block archive, or import one (docs/operations.md, \"Backup, export and import\").",
    subcommands = {BlocksCommand.Export.class, BlocksCommand.Import.class})
final class BlocksCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The genesis of a data dir: the configured file, else DATA_DIR/genesis.json (where devnet keeps it). */
  static GenesisConfig genesisOf(NodeConfig config) {
    if (!Files.isRegularFile(config.genesisFile()) && Files.isRegularFile(config.dataDir().resolve("genesis.json"))) {
      config = new NodeConfig(config.dataDir(), config.dataDir().resolve("genesis.json"), config.nodeKeyFile(), config.p2pKeyFile(),
          config.logLevel(), config.rpc(), config.p2p(), config.mempool(), config.storage(), config.production(),
          config.metrics(), config.logging(), config.sync(), config.explorer(), config.heapCheck());
    }
    return Node.readGenesis(config);
  }

  static ChainStore openStopped(NodeConfig config, GenesisConfig genesis) {
    try {
      return Node.openStore(config, genesis);
    } catch (RuntimeException e) {
      String message = String.valueOf(e.getMessage());
      if (message.contains("lock")) {
        throw new IllegalStateException("the chain store at " + config.dataDir().resolve("chain")
            + " is in use: stop the node first (or export from a backup: cairn backup)", e);
      }
      throw e;
    }
  }

  /**
   * The store of a data dir opened to read it (no genesis committed, retention not applied), refusing one
   * of another genesis.
   */
  static ChainStore openToRead(NodeConfig config, GenesisConfig genesis) {
    Path dir = config.dataDir().resolve("chain");
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("no chain store at " + dir + " (is --data-dir the node's data dir?)");
    }
    ChainStore store;
    try {
      store = ChainStore.openForVerification(dir, config.storage());
    } catch (RuntimeException e) {
      if (String.valueOf(e.getMessage()).contains("lock")) {
        throw new IllegalStateException("the chain store at " + dir
            + " is in use: stop the node first (or export from a backup: cairn backup)", e);
      }
      throw e;
    }
    dev.cairn.ledger.bytes.Hash expected = dev.cairn.genesis.GenesisBlock.of(genesis).hash();
    if (!store.genesisHash().map(expected::equals).orElse(false)) {
      store.close();
      throw new IllegalArgumentException("the chain store at " + dir + " is not of the genesis in "
          + config.genesisFile() + " (give the node's genesis with --genesis)");
    }
    return store;
  }

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = {"Write heights --from..--to of a STOPPED node's chain (or of a backup) to FILE, with their "
          + "commit certificates. FILE appears only once complete."})
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin NodeOptions options;

    @Option(names = "--from", paramLabel = "HEIGHT", defaultValue = "1", description = "First height (default 1).")
    long from;

    @Option(names = "--to", paramLabel = "HEIGHT", description = "Last height (default: the head).")
    Long to;

    @Parameters(index = "0", paramLabel = "FILE", description = "The archive to write.")
    Path file;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      NodeConfig config = options.load();
      GenesisConfig genesis = genesisOf(config);
      try (ChainStore store = openToRead(config, genesis)) {
        long last = to != null ? to : store.head().orElseThrow().height();
        ProgressLine progress = new ProgressLine(out, "exported");
        BlockArchive.Header header = BlockExport.write(store, genesis.chainId(), from, last, file,
            (height, h) -> progress.update(height, h.toHeight(), height - h.fromHeight() + 1, h.blocks(), ""));
        out.println(String.format(Locale.ROOT, "exported heights %d..%d (%d blocks) of chain %s to %s in %.1f s (%d bytes)",
            header.fromHeight(), header.toHeight(), header.blocks(), header.chainId(), file, progress.elapsedSeconds(),
            Files.size(file)));
      }
      return 0;
    }
  }

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = {"Import a block archive into a STOPPED node's data dir (created from genesis if empty): each "
          + "certificate is checked against the validators of its height and each block re-executed.",
          "Exit code 0 = imported, 1 = the file was refused (the blocks before the problem stay imported)."})
  static final class Import implements Callable<Integer> {
    /** Verified transaction signatures remembered while importing (each block's are checked once). */
    private static final int IMPORT_SIGNATURE_CACHE_ENTRIES_MAX = 100_000;

    @Spec CommandSpec spec;
    @Mixin NodeOptions options;

    @Parameters(index = "0", paramLabel = "FILE", description = "The archive to read.")
    Path file;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      NodeConfig config = options.load();
      GenesisConfig genesis = genesisOf(config);
      if (!Files.isRegularFile(file)) {
        err.println("error: no file " + file);
        return 1;
      }
      BlockLimits limits = new BlockLimits(genesis.consensus().blockTxsMax(), genesis.consensus().blockBytesMax());
      // A block of the chain's largest size plus its certificate (1,024 seals of 96 bytes fit in 128 KiB).
      int frameBytesMax = (int) Math.min(BlockArchive.FRAME_BYTES_MAX, 1L + genesis.consensus().blockBytesMax() + 128 * 1024);
      try (ChainStore store = openStopped(config, genesis);
          InputStream in = Files.newInputStream(file);
          BlockArchiveReader reader = new BlockArchiveReader(in, frameBytesMax)) {
        SignatureCache signatures = new SignatureCache(IMPORT_SIGNATURE_CACHE_ENTRIES_MAX);
        LocalChain chain = new LocalChain(store, new BlockExecutor(genesis.chainId(), limits, signatures), limits,
            new Mempool(genesis.chainId(), MempoolConfig.DEFAULT, signatures));
        long startHeight = chain.head().height();
        ProgressLine progress = new ProgressLine(out, "imported");
        out.println("importing " + file + " into " + config.dataDir() + " (head " + startHeight + ")");
        out.flush();
        BlockImport.Outcome outcome = new BlockImport(chain, genesis.chainId()).run(reader, (height, header, txs) ->
            progress.update(height, header.toHeight(), height - header.fromHeight() + 1, header.blocks(), ", " + txs + " txs"));
        return switch (outcome) {
          case BlockImport.Outcome.Imported done -> {
            out.println(String.format(Locale.ROOT,
                "imported %d blocks (%d already held), %d transactions in %.1f s; head %d %s state root %s",
                done.imported(), done.skipped(), done.transactions(), progress.elapsedSeconds(), done.head().height(),
                done.head().hash().toHex(), done.head().stateRoot().toHex()));
            yield 0;
          }
          case BlockImport.Outcome.Refused refused -> {
            err.println("error: " + file + " refused at " + refused.oneLine() + " (head now "
                + chain.head().height() + ")");
            yield 1;
          }
        };
      }
    }
  }
}
