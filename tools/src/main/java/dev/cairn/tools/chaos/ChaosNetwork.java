package dev.cairn.tools.chaos;

import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.network.GeneratedNetwork;
import dev.cairn.genesis.network.NetworkSpec;
import dev.cairn.genesis.network.Placement;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.tools.testnet.FundedNetwork;
import java.nio.file.Path;
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

  /** @param hosts one address per node when each runs in its own network namespace, else empty */
  static GeneratedNetwork write(Manifest manifest, Path dir, List<KeyPair> accounts, List<String> hosts) {
    ConsensusParameters d = ConsensusParameters.DEFAULTS;
    // Empty blocks on: recovery after the last fault is judged by new final blocks, load or not. Round
    // timeouts capped at ROUND_TIMEOUT_MAX_MILLIS (the default cap is 60 s) so that the heal bound measures
    // recovery, not how far the doubling got while a quorum was down.
    ConsensusParameters consensus = new ConsensusParameters(manifest.blockPeriodMillis(), d.roundTimeoutMillis(),
        ROUND_TIMEOUT_MAX_MILLIS, d.blockTxsMax(), manifest.blockBytesMax() == 0 ? d.blockBytesMax() : manifest.blockBytesMax(),
        true);
    // Ports drawn at random, so two campaigns at once on one machine rarely collide.
    int basePort = 21_000 + new SplittableRandom(manifest.seed() ^ System.nanoTime()).nextInt(18_000);
    return FundedNetwork.write(new NetworkSpec(manifest.validators(), manifest.observers(), CHAIN_ID,
        (System.currentTimeMillis() / 1000) * 1000, consensus, basePort, basePort + 500, NetworkSpec.DEFAULT_DEV_BALANCE,
        new Placement(hosts, !hosts.isEmpty())),
        dir, accounts, ACCOUNT_BALANCE);
  }
}
