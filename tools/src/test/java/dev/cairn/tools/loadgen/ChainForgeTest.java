package dev.cairn.tools.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.GenesisAccount;
import dev.cairn.genesis.GenesisConfig;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.store.ChainStore;
import dev.cairn.ledger.store.ChainVerifier;
import dev.cairn.ledger.store.StoreConfig;
import dev.cairn.ledger.store.VerificationResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forged chain is one the node accepts: verify-chain's checks pass on it, certificates and state included. */
class ChainForgeTest {
  @TempDir Path dir;

  private final List<KeyPair> validators = IntStream.range(0, 4).mapToObj(i -> KeyPair.fromSeedText("forge-validator-" + i)).toList();
  private final List<KeyPair> senders = IntStream.range(0, 7).mapToObj(i -> KeyPair.fromSeedText("forge-sender-" + i)).toList();

  private GenesisConfig genesis() {
    ConsensusParameters d = ConsensusParameters.DEFAULTS;
    return new GenesisConfig("forge-test", 1_000_000_000_000L, new ConsensusParameters(1000, 2000, d.roundTimeoutMillisMax(), 1000,
        d.blockBytesMax(), true), validators.stream().map(KeyPair::publicKey).toList(),
        senders.stream().map(s -> new GenesisAccount(s.address(), 1_000_000, EnumSet.of(Role.MEMBER))).toList(), List.of());
  }

  @Test
  void aForgedChainVerifiesFromGenesisToHeadWithItsStateAndCertificates() {
    ChainForge.Plan plan = new ChainForge.Plan(250, 40, 100, 3, 1000);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    try (ChainStore store = ChainStore.open(dir.resolve("chain"), StoreConfig.small())) {
      ChainForge.Result result = new ChainForge(genesis(), validators, senders, plan, new PrintStream(progress)).forge(store);

      assertThat(result.height()).isEqualTo(40);
      assertThat(result.txs()).isEqualTo(250 + 37 * 3); // 3 blocks create the accounts (100, 100, 50), 37 carry 3 transfers
      assertThat(store.block(3).orElseThrow().transactions()).hasSize(50);
      assertThat(store.block(40).orElseThrow().transactions()).hasSize(3);
      VerificationResult chain = new ChainVerifier(store).verify(ChainVerifier.Progress.NONE);
      assertThat(chain).isEqualTo(new VerificationResult.Passed(41, 361));
      assertThat(new ChainVerifier(store).verifyState().passed()).isTrue();
      ValidatorSet set = store.validatorsAt(40).orElseThrow();
      BlockHeader head = store.header(40).orElseThrow();
      CommitCertificate certificate = store.certificate(40).orElseThrow();
      assertThat(head.proposer()).isEqualTo(set.proposer(40, 0));
      assertThat(head.timestampMillis()).isEqualTo(1_000_000_000_000L + 40 * 1000);
      assertThat(certificate.seals()).hasSize(set.quorum());
      assertThat(certificate.verify(head.hash(), set).isValid()).isTrue();
      assertThat(progress.toString()).contains("forge: block 40/40 (100%)");
    }
  }

  @Test
  void itRefusesAStoreThatHoldsAChainAndAPlanThatCannotCreateItsAccounts() {
    try (ChainStore store = ChainStore.open(dir.resolve("chain"), StoreConfig.small())) {
      new ChainForge(genesis(), validators, senders, new ChainForge.Plan(10, 2, 10, 0, 1000), System.out).forge(store);
      assertThatThrownBy(() -> new ChainForge(genesis(), validators, senders, new ChainForge.Plan(10, 2, 10, 0, 1000), System.out)
          .forge(store)).isInstanceOf(IllegalStateException.class).hasMessageContaining("empty store");
    }
    assertThatThrownBy(() -> new ChainForge.Plan(1000, 5, 100, 1, 1000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need 10 blocks");
  }
}
