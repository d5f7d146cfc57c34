package dev.cairn.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.consensus.driver.ConsensusObserver.RoundStart;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Rounds, round changes by reason, time per round and height, and proposals made and missed, from observer events. */
class ConsensusMetricsTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final ConsensusMetrics metrics = new ConsensusMetrics(new Families(registry));
  private final ValidatorSet validators = new ValidatorSet(
      IntStream.range(0, 4).mapToObj(i -> KeyPair.fromSeedText("consensus-metrics-" + i).publicKey()).toList());

  private String scrape() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape(), null);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String label(PublicKey key) {
    return ConsensusMetrics.validatorLabel(key);
  }

  private FinalizedBlock block(long height, int round) {
    BlockHeader header = new BlockHeader(height, Hash.ZERO, 0, validators.proposer(height, round), round,
        Hash.ZERO, Hash.ZERO, Hash.ZERO, validators.hash());
    Block block = new Block(header, List.of());
    return new FinalizedBlock(block, new CommitCertificate(block.hash(), List.of()));
  }

  @Test
  void aHeightDecidedInRoundThreeCountsTheRoundChangesAndTheThreeMissedProposals() throws Exception {
    metrics.knowValidators(validators);
    metrics.roundStarted(5, 0, RoundStart.NEW_HEIGHT, 1_000);
    metrics.roundStarted(5, 1, RoundStart.TIMEOUT, 3_000);
    metrics.roundStarted(5, 3, RoundStart.PEERS_AHEAD, 3_500);
    metrics.finalized(block(5, 3), validators, true, 4_000);

    String scrape = scrape();
    assertThat(scrape).contains(
        "cairn_consensus_height 5",
        "cairn_consensus_round 3",
        "cairn_consensus_round_changes_total{reason=\"timeout\"} 1.0",
        "cairn_consensus_round_changes_total{reason=\"peers_ahead\"} 1.0",
        "cairn_consensus_round_changes_total{reason=\"resumed\"} 0.0",
        "cairn_consensus_proposals_total{validator=\"" + label(validators.proposer(5, 3)) + "\"} 1.0",
        "cairn_consensus_height_duration_seconds_count 1",
        "cairn_consensus_height_duration_seconds_sum 3.0",
        "cairn_consensus_round_duration_seconds_count 3",
        "cairn_consensus_round_duration_seconds_sum 3.0",
        "cairn_chain_blocks_finalized_total{source=\"consensus\"} 1.0");
    for (int round = 0; round < 3; round++) {
      assertThat(scrape).contains("cairn_consensus_proposals_missed_total{validator=\"" + label(validators.proposer(5, round)) + "\"} 1.0");
    }
    assertThat(scrape).contains("cairn_consensus_proposals_missed_total{validator=\"" + label(validators.proposer(5, 3)) + "\"} 0.0");
  }

  @Test
  void anImportedBlockCountsItsProposerButNoTimeOfThisNode() throws Exception {
    metrics.finalized(block(9, 0), validators, false, 10_000);
    String scrape = scrape();
    assertThat(scrape).contains(
        "cairn_chain_blocks_finalized_total{source=\"import\"} 1.0",
        "cairn_consensus_proposals_total{validator=\"" + label(validators.proposer(9, 0)) + "\"} 1.0",
        "cairn_consensus_height_duration_seconds_count 0",
        "cairn_consensus_round_duration_seconds_count 0");
  }
}
