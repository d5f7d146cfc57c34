package dev.cairn.tools.chaos;

import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.GenesisAccount;
import dev.cairn.genesis.GenesisConfig;
import dev.cairn.genesis.GenesisWriter;
import dev.cairn.genesis.network.GeneratedNetwork;
import dev.cairn.genesis.network.NetworkGenerator;
import dev.cairn.genesis.network.NetworkSpec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** The testnet a manifest describes, written to disk: genesis with the campaign's funded accounts, node dirs. */
final class ChaosNetwork {
  static final String CHAIN_ID = "cairn-chaos";
  static final long ACCOUNT_BALANCE = 1_000_000_000L;
  static final long ROUND_TIMEOUT_MAX_MILLIS = 10_000;

  private ChaosNetwork() {}

  /** The campaign's sender accounts; the same for every run of a manifest. */
  static List<KeyPair> accounts(int senders) {
    return IntStream.range(0, senders).mapToObj(i -> KeyPair.fromSeedText("cairn-chaos-account-" + i)).toList();
  }

  static GeneratedNetwork write(Manifest manifest, Path dir, List<KeyPair> accounts) {
    ConsensusParameters d = ConsensusParameters.DEFAULTS;
    // Empty blocks on: recovery after the last fault is judged by new final blocks, load or not. Round
    // timeouts capped at ROUND_TIMEOUT_MAX_MILLIS (the default cap is 60 s) so that the heal bound measures
    // recovery, not how far the doubling got while a quorum was down.
    ConsensusParameters consensus = new ConsensusParameters(manifest.blockPeriodMillis(), d.roundTimeoutMillis(),
        ROUND_TIMEOUT_MAX_MILLIS, d.blockTxsMax(), d.blockBytesMax(), true);
    // Ports from the manifest's seed, so two campaigns at once on one machine rarely collide.
    int basePort = 21_000 + new SplittableRandom(manifest.seed() ^ System.nanoTime()).nextInt(18_000);
    GeneratedNetwork network = new NetworkGenerator(KeyPair::generate).generate(new NetworkSpec(manifest.validators(),
        manifest.observers(), CHAIN_ID, (System.currentTimeMillis() / 1000) * 1000, consensus, basePort, basePort + 500,
        NetworkSpec.DEFAULT_DEV_BALANCE), dir);
    List<GenesisAccount> funded = new ArrayList<>(network.genesis().accounts());
    accounts.forEach(a -> funded.add(new GenesisAccount(a.address(), ACCOUNT_BALANCE, EnumSet.of(Role.MEMBER))));
    GenesisConfig g = network.genesis();
    try {
      // Replaced before any node started on it: this chain exists only for this run.
      Files.delete(dir.resolve(NetworkGenerator.GENESIS_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot replace the generated genesis", e);
    }
    GenesisWriter.write(dir.resolve(NetworkGenerator.GENESIS_FILE),
        new GenesisConfig(g.chainId(), g.genesisTimeMillis(), g.consensus(), g.validators(), funded, g.observers()));
    return network;
  }
}
