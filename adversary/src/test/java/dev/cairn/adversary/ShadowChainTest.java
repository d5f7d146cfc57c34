package dev.cairn.adversary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.GenesisAccount;
import dev.cairn.genesis.GenesisConfig;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.state.StateChunk;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacker's chain copy is resumed by the next run on the same genesis, and only on it; the state it forges is
 * a whole one (every chunk proves itself against the forged root), and no chunk of it passes the certified root.
 */
class ShadowChainTest {
  private static final KeyPair VALIDATOR = KeyPair.fromSeed(new byte[32]);

  @TempDir Path dir;

  private static GenesisConfig genesis(String chainId) {
    return new GenesisConfig(chainId, 1_700_000_000_000L, ConsensusParameters.DEFAULTS, List.of(VALIDATOR.publicKey()),
        List.of(new GenesisAccount(VALIDATOR.address(), 1_000, EnumSet.of(Role.MEMBER))), List.of());
  }

  private static FinalizedBlock certified(Block block) {
    return new FinalizedBlock(block, new CommitCertificate(block.hash(), List.of(CommitSeal.sign(VALIDATOR, block.hash()))));
  }

  @Test
  void aSecondRunOnTheSameGenesisResumesAtTheHeadTheFirstLeft() {
    Path scratch = dir.resolve("scratch");
    GenesisConfig genesis = genesis("shadow-test");
    try (ShadowChain first = ShadowChain.open(scratch, genesis)) {
      for (int height = 1; height <= 3; height++) {
        Block next = first.build(List.of(), VALIDATOR.publicKey(), 0, genesis.genesisTimeMillis() + height * 1_000L);
        assertThat(first.importBlocks(List.of(certified(next)))).isEqualTo(1);
      }
      assertThat(first.head().height()).isEqualTo(3);
    }
    try (ShadowChain second = ShadowChain.open(scratch, genesis)) {
      assertThat(second.head().height()).as("resumed, not replayed from genesis").isEqualTo(3);
      assertThat(second.block(2)).isPresent();
    }
  }

  @Test
  void aForgedStateProvesEachChunkAgainstItsOwnRootAndNoneAgainstTheCertifiedOne() {
    GenesisConfig genesis = genesis("shadow-test");
    try (ShadowChain chain = ShadowChain.open(dir.resolve("scratch"), genesis)) {
      Block next = chain.build(List.of(), VALIDATOR.publicKey(), 0, genesis.genesisTimeMillis() + 1_000L);
      chain.importBlocks(List.of(certified(next)));
      Hash certifiedRoot = chain.header(1).orElseThrow().stateRoot();
      Hash key = StateKeys.account(KeyPair.generate().address());
      ShadowChain.ForgedState forged = chain.forge(1, key, Bytes.wrap(new byte[] {1, 2, 3}));
      assertThat(forged.root()).isNotEqualTo(certifiedRoot);
      int prefixBits = 3;
      boolean forgedKeySeen = false;
      for (long index = 0; index < 1L << prefixBits; index++) {
        StateChunk chunk = StateChunk.of(forged.nodes(), forged.root(), StateChunk.prefixOf(index, prefixBits), prefixBits,
            1 << 20);
        assertThat(chunk.verify(forged.root()).isValid()).as("chunk %d against the forged root", index).isTrue();
        assertThat(chunk.verify(certifiedRoot).isValid()).as("chunk %d against the certified root", index).isFalse();
        forgedKeySeen |= chunk.leavesInPrefix().stream().anyMatch(leaf -> leaf.key().equals(key));
      }
      assertThat(forgedKeySeen).as("the forged account is in the forged state").isTrue();
      assertThat(chain.snapshots().chunk(1, StateChunk.prefixOf(0, prefixBits), prefixBits, 1 << 20).verify(certifiedRoot)
          .isValid()).as("the honest source still serves the certified state").isTrue();
    }
  }

  @Test
  void anotherGenesisOrAnUnreadableDirectoryStartsOverAtGenesis() throws Exception {
    Path scratch = dir.resolve("scratch");
    GenesisConfig genesis = genesis("shadow-test");
    try (ShadowChain first = ShadowChain.open(scratch, genesis)) {
      Block next = first.build(List.of(), VALIDATOR.publicKey(), 0, genesis.genesisTimeMillis() + 1_000L);
      first.importBlocks(List.of(certified(next)));
      assertThat(first.head().height()).isEqualTo(1);
    }
    try (ShadowChain other = ShadowChain.open(scratch, genesis("another-chain"))) {
      assertThat(other.head().height()).isZero();
    }

    Path junk = dir.resolve("junk");
    Files.createDirectories(junk);
    Files.writeString(junk.resolve("CURRENT"), "not a RocksDB manifest name\n");
    try (ShadowChain fresh = ShadowChain.open(junk, genesis)) {
      assertThat(fresh.head().height()).isZero();
    }
  }
}
