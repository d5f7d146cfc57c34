package dev.cairn.metrics;

import dev.cairn.consensus.Evidence;
import dev.cairn.consensus.message.MessageKind;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.consensus.driver.ConsensusObserver;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.Locale;

/**
 * Consensus progress as the consensus thread reports it ({@link ConsensusObserver}): rounds entered and why,
 * time per round and per height, proposals made and missed per validator, equivocations. All updates come
 * from that one thread; the scrape reads the volatile height and round.
 */
final class ConsensusMetrics implements ConsensusObserver {
  static final double[] ROUND_SECONDS = {0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64};
  /** Hex characters of a validator key in labels: as in the logs, enough to tell a network's validators apart. */
  static final int VALIDATOR_LABEL_CHARS = 16;

  private final Counter roundChanges;
  private final Histogram roundSeconds;
  private final Histogram heightSeconds;
  private final Counter proposalsMade;
  private final Counter proposalsMissed;
  private final Counter equivocations;
  private final CounterDataPoint ownBlocks;
  private final CounterDataPoint importedBlocks;
  private final CounterDataPoint transactions;
  private volatile long height;
  private volatile int round;
  // Consensus thread only.
  private long roundStartedMillis = -1;
  private long heightStartedMillis = -1;

  ConsensusMetrics(Families families) {
    families.gauge("consensus_height", "Height this node's consensus engine is deciding", null, () -> height);
    families.gauge("consensus_round", "Round this node's consensus engine is in at its height", null, () -> round);
    roundChanges = families.ownCounter("consensus_round_changes",
        "Rounds entered above round 0, by why: timeout (the round timer fired), peers_ahead (f+1 validators seen in a higher round), resumed (restart)",
        "reason");
    for (RoundStart why : new RoundStart[] {RoundStart.TIMEOUT, RoundStart.PEERS_AHEAD, RoundStart.RESUMED}) {
      roundChanges.initLabelValues(label(why));
    }
    roundSeconds = families.seconds("consensus_round_duration",
        "Time this node spent in a round, until the next round or the height's decision", ROUND_SECONDS);
    heightSeconds = families.seconds("consensus_height_duration",
        "Time from the start of a height to its block committed by this node's own consensus", ROUND_SECONDS);
    proposalsMade = families.ownCounter("consensus_proposals",
        "Finalized blocks by proposer: the proposal of the round that decided the height", "validator");
    proposalsMissed = families.ownCounter("consensus_proposals_missed",
        "Rounds whose proposer's proposal did not decide the height (a later round did), by that proposer", "validator");
    equivocations = families.ownCounter("consensus_equivocations",
        "Equivocations seen: a validator signed two different messages of one kind for one height and round", "kind");
    for (MessageKind kind : MessageKind.values()) {
      equivocations.initLabelValues(kind.name().toLowerCase(Locale.ROOT));
    }
    Counter finalized = families.ownCounter("chain_blocks_finalized",
        "Blocks finalized on this node, by source: consensus (its own commit) or import (sync, block gossip)", "source");
    ownBlocks = finalized.labelValues("consensus");
    importedBlocks = finalized.labelValues("import");
    transactions = families.ownCounter("chain_transactions_finalized", "Transactions in blocks finalized on this node")
        .labelValues();
  }

  private static String label(RoundStart why) {
    return why.name().toLowerCase(Locale.ROOT);
  }

  static String validatorLabel(PublicKey key) {
    return key.toHex().substring(0, VALIDATOR_LABEL_CHARS);
  }

  /** Registers the validators' labels so that a validator that never proposed shows as 0, not as absent. */
  void knowValidators(ValidatorSet validators) {
    for (PublicKey key : validators.validators()) {
      proposalsMade.initLabelValues(validatorLabel(key));
      proposalsMissed.initLabelValues(validatorLabel(key));
    }
  }

  @Override
  public void roundStarted(long newHeight, int newRound, RoundStart why, long nowMillis) {
    if (roundStartedMillis >= 0) {
      roundSeconds.observe(seconds(nowMillis - roundStartedMillis));
    }
    roundStartedMillis = nowMillis;
    if (why == RoundStart.NEW_HEIGHT || why == RoundStart.RESUMED) {
      heightStartedMillis = nowMillis;
    }
    if (why != RoundStart.NEW_HEIGHT) {
      roundChanges.labelValues(label(why)).inc();
    }
    height = newHeight;
    round = newRound;
  }

  @Override
  public void finalized(FinalizedBlock block, ValidatorSet validators, boolean ownCommit, long nowMillis) {
    BlockHeader header = block.block().header();
    knowValidators(validators);
    proposalsMade.labelValues(validatorLabel(header.proposer())).inc();
    for (int missed = 0; missed < header.round(); missed++) {
      proposalsMissed.labelValues(validatorLabel(validators.proposer(header.height(), missed))).inc();
    }
    transactions.inc(block.block().transactions().size());
    if (!ownCommit) {
      importedBlocks.inc();
      return;
    }
    ownBlocks.inc();
    if (roundStartedMillis >= 0) {
      roundSeconds.observe(seconds(nowMillis - roundStartedMillis));
      roundStartedMillis = -1; // the next height's round 0 starts its own clock
    }
    if (heightStartedMillis >= 0 && header.height() == height) {
      heightSeconds.observe(seconds(nowMillis - heightStartedMillis));
    }
    heightStartedMillis = -1;
  }

  @Override
  public void equivocation(Evidence evidence) {
    equivocations.labelValues(evidence.first().kind().name().toLowerCase(Locale.ROOT)).inc();
  }

  private static double seconds(long millis) {
    return Math.max(0, millis) / 1000.0;
  }
}
