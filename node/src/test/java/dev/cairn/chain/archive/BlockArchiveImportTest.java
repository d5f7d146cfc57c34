package dev.cairn.chain.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.store.ChainHead;
import dev.cairn.ledger.store.ChainStore;
import dev.cairn.ledger.store.StoreConfig;
import dev.cairn.node.cli.CairnCli;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cairn blocks export} and {@code import} end to end on real RocksDB data dirs: a round trip reaches the
 * same head and state root, and every kind of hostile file is refused with one line that says what to do,
 * keeping what was verified before the problem.
 */
class BlockArchiveImportTest {
  private static final int BLOCKS = 24;

  @TempDir Path dir;
  private Path source;
  private ChainHead sourceHead;
  private List<FinalizedBlock> blocks;

  record Run(int exitCode, String out, String err) {}

  static Run cairn(String... args) {
    CommandLine cli = CairnCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeEach
  void produce() throws Exception {
    source = dir.resolve("source");
    try (ProducedChain chain = ProducedChain.create(source)) {
      chain.grow(BLOCKS, 6);
      sourceHead = chain.store.head().orElseThrow();
      blocks = new ArrayList<>();
      for (long h = 1; h <= BLOCKS; h++) {
        blocks.add(chain.store.finalizedBlock(h).orElseThrow());
      }
    }
  }

  private Run importInto(Path target, Path file) {
    return cairn("blocks", "import", "--data-dir", target.toString(), "--genesis", source.resolve("genesis.json").toString(),
        file.toString());
  }

  private ChainHead headOf(Path dataDir) {
    try (ChainStore store = ChainStore.open(dataDir.resolve("chain"), StoreConfig.small())) {
      return store.head().orElseThrow();
    }
  }

  @Test
  void anExportImportsIntoAFreshDataDirToTheSameHeadAndStateRoot() throws Exception {
    Path file = dir.resolve("blocks.cairn");
    Run export = cairn("blocks", "export", "--data-dir", source.toString(), "--from", "1", file.toString());
    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(export.out()).contains("exported heights 1.." + BLOCKS + " (" + BLOCKS + " blocks)");
    assertThat(file.resolveSibling("blocks.cairn.partial")).doesNotExist();

    Path target = dir.resolve("target");
    Run imported = importInto(target, file);
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.out()).contains("imported " + BLOCKS + " blocks (0 already held), " + BLOCKS * 6 + " transactions")
        .contains("blocks/s").contains("ETA");
    assertThat(headOf(target)).isEqualTo(sourceHead);
    Run verify = cairn("verify-chain", "--data-dir", target.toString());
    assertThat(verify.exitCode()).as(verify.err()).isZero();

    // Again: every block is already held, so nothing changes.
    Run again = importInto(target, file);
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("imported 0 blocks (" + BLOCKS + " already held)");
    assertThat(headOf(target)).isEqualTo(sourceHead);
  }

  @Test
  void aRangeImportsOnlyOnTopOfTheHeightsBeforeIt() throws Exception {
    Path first = dir.resolve("first.cairn");
    Path second = dir.resolve("second.cairn");
    assertThat(cairn("blocks", "export", "--data-dir", source.toString(), "--to", "10", first.toString()).exitCode()).isZero();
    assertThat(cairn("blocks", "export", "--data-dir", source.toString(), "--from", "11", second.toString()).exitCode()).isZero();
    Path target = dir.resolve("target");
    Run gap = importInto(target, second);
    assertThat(gap.exitCode()).isEqualTo(1);
    assertThat(gap.err()).contains("gap_before_file").contains("import heights 1..10 first");
    assertThat(importInto(target, first).exitCode()).isZero();
    assertThat(importInto(target, second).exitCode()).isZero();
    assertThat(headOf(target)).isEqualTo(sourceHead);
  }

  @Test
  void aTruncatedFileIsRefusedAndKeepsTheBlocksBeforeTheCut() throws Exception {
    Path file = dir.resolve("blocks.cairn");
    assertThat(cairn("blocks", "export", "--data-dir", source.toString(), file.toString()).exitCode()).isZero();
    byte[] whole = Files.readAllBytes(file);
    Path cut = dir.resolve("cut.cairn");
    Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
    Path target = dir.resolve("target");
    Run run = importInto(target, cut);
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("error: ").contains("truncated").contains("export it again");
    assertThat(run.err().strip().lines()).hasSize(1);
    long kept = headOf(target).height();
    assertThat(kept).isBetween(1L, (long) BLOCKS - 1);
    assertThat(cairn("verify-chain", "--data-dir", target.toString()).exitCode()).isZero();

    // Without its end frame: every block is there, but the file is not known to be whole.
    Path noEnd = dir.resolve("no-end.cairn");
    Files.write(noEnd, Arrays.copyOf(whole, whole.length - 4 - BlockArchive.END_FRAME_BYTES));
    Run missingEnd = importInto(dir.resolve("target2"), noEnd);
    assertThat(missingEnd.exitCode()).isEqualTo(1);
    assertThat(missingEnd.err()).contains("truncated").contains("without its end frame");
  }

  @Test
  void anOversizedFrameIsRefusedBeforeAnythingIsBuffered() throws Exception {
    Path file = dir.resolve("huge.cairn");
    write(file, ProducedChain.CHAIN_ID, genesisHash(), 1, BLOCKS, List.of());
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(raf.length());
      raf.writeInt(0x7FFF_FFF0);
      raf.write(new byte[64]);
    }
    Run run = importInto(dir.resolve("target"), file);
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("frame_too_large").contains("2147483632 bytes");
  }

  @Test
  void aFileOfAnotherChainIsRefused() throws Exception {
    Path file = dir.resolve("other.cairn");
    write(file, "another-chain", genesisHash(), 1, BLOCKS, blocks);
    Run run = importInto(dir.resolve("target"), file);
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("wrong_chain_id").contains("import it into a node of that chain");

    Path otherGenesis = dir.resolve("other-genesis.cairn");
    write(otherGenesis, ProducedChain.CHAIN_ID, filled(1), 1, BLOCKS, blocks);
    Run wrongGenesis = importInto(dir.resolve("target"), otherGenesis);
    assertThat(wrongGenesis.err()).contains("wrong_genesis");
  }

  @Test
  void aBlockSealedByANonValidatorIsRefusedAfterTheGoodOnesBeforeIt() throws Exception {
    List<FinalizedBlock> forged = new ArrayList<>(blocks);
    Block fifth = blocks.get(4).block();
    KeyPair outsider = KeyPair.fromSeedText("not-a-validator");
    forged.set(4, new FinalizedBlock(fifth, new CommitCertificate(fifth.hash(), List.of(CommitSeal.sign(outsider, fifth.hash())))));
    Path file = dir.resolve("forged.cairn");
    write(file, ProducedChain.CHAIN_ID, genesisHash(), 1, BLOCKS, forged);
    Path target = dir.resolve("target");
    Run run = importInto(target, file);
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("height 5: seal_from_non_validator").contains("not certified by the validators")
        .contains("head now 4");
    assertThat(headOf(target).hash()).isEqualTo(blocks.get(3).block().hash());
  }

  @Test
  void aCertifiedBlockWhoseStateRootDoesNotFollowFromExecutionIsRefused() throws Exception {
    Block third = blocks.get(2).block();
    BlockHeader h = third.header();
    Block lying = new Block(new BlockHeader(h.height(), h.parentHash(), h.timestampMillis(), h.proposer(), h.round(),
        h.txRoot(), h.receiptsRoot(), filled(7), h.validatorSetHash()), third.transactions());
    List<FinalizedBlock> tampered = new ArrayList<>(blocks.subList(0, 2));
    tampered.add(ProducedChain.certified(lying));
    Path file = dir.resolve("lying.cairn");
    write(file, ProducedChain.CHAIN_ID, genesisHash(), 1, 3, tampered);
    Path target = dir.resolve("target");
    Run run = importInto(target, file);
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("height 3: ").contains("state").contains("does not re-execute");
    assertThat(headOf(target).height()).isEqualTo(2);
  }

  @Test
  void aFileThatIsNotAnArchiveIsRefusedAtTheDoor() throws Exception {
    Path file = dir.resolve("junk.cairn");
    Files.writeString(file, "this is not a block archive at all");
    Run run = importInto(dir.resolve("target"), file);
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("not_an_archive");
  }

  @Test
  void aByteFlippedInTransitFailsTheDigestEvenWhereTheBlocksStillVerify() throws Exception {
    Path file = dir.resolve("blocks.cairn");
    assertThat(cairn("blocks", "export", "--data-dir", source.toString(), file.toString()).exitCode()).isZero();
    byte[] bytes = Files.readAllBytes(file);
    // The last byte of the end frame's digest: the blocks are untouched, the file no longer matches its sum.
    bytes[bytes.length - 1] ^= 1;
    Files.write(file, bytes);
    Run run = importInto(dir.resolve("target"), file);
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("digest_mismatch");
  }

  private static Hash filled(int value) {
    byte[] bytes = new byte[Hash.SIZE];
    Arrays.fill(bytes, (byte) value);
    return Hash.wrap(bytes);
  }

  private Hash genesisHash() {
    try (ChainStore store = ChainStore.open(source.resolve("chain"), StoreConfig.small())) {
      return store.genesisHash().orElseThrow();
    }
  }

  private static void write(Path file, String chainId, Hash genesis, long from, long to, List<FinalizedBlock> blocks)
      throws Exception {
    try (OutputStream out = Files.newOutputStream(file);
        BlockArchiveWriter writer = new BlockArchiveWriter(out, new BlockArchive.Header(chainId, genesis, from, to))) {
      for (FinalizedBlock block : blocks) {
        writer.write(block);
      }
      if (blocks.size() == to - from + 1) {
        writer.finish();
      }
    }
  }
}
