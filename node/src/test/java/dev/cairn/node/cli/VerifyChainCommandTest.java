package dev.cairn.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.GenesisAccount;
import dev.cairn.genesis.GenesisConfig;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.store.ChainStore;
import dev.cairn.node.Node;
import dev.cairn.node.config.ConfigLoader;
import dev.cairn.node.config.NodeConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The operator's offline check: its exit codes and what it prints. The chain checks are ChainVerifierTest's. */
class VerifyChainCommandTest {
  @TempDir Path dir;

  record Run(int exitCode, String out, String err) {}

  private Run verifyChain(Path dataDir) {
    CommandLine cli = CairnCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("verify-chain", "--data-dir", dataDir.toString());
    return new Run(code, out.toString(), err.toString());
  }

  private ChainStore genesisStore() throws Exception {
    KeyPair validator = KeyPair.fromSeedText("validator");
    GenesisConfig genesis = new GenesisConfig("cairn-verify-test", 1_700_000_000_000L,
        new ConsensusParameters(1000, 4000, 60_000, 10_000, 8 * 1024 * 1024, false), List.of(validator.publicKey()),
        List.of(new GenesisAccount(KeyPair.fromSeedText("dev").address(), 100, EnumSet.of(Role.MEMBER))), List.of());
    NodeConfig config = ConfigLoader.defaults().with("node.data-dir", dir.toString()).build(dir);
    return Node.openStore(config, genesis);
  }

  @Test
  void aFreshGenesisStoreVerifies() throws Exception {
    genesisStore().close();
    Run run = verifyChain(dir);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("height 0 / 0").contains("blocks ok: 1 blocks, 0 transactions").contains("state ok")
        .contains("chain OK");
  }

  @Test
  void aStoreInUseOrMissingIsExitCodeTwoWithTheReason() throws Exception {
    Run missing = verifyChain(dir.resolve("nowhere"));
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).startsWith("error: no chain store at");

    try (ChainStore running = genesisStore()) {
      Run locked = verifyChain(dir);
      assertThat(locked.exitCode()).isEqualTo(2);
      assertThat(locked.err()).startsWith("error: cannot open").contains("stop the node first");
    }
  }
}
