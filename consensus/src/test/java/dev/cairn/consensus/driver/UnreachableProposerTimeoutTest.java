package dev.cairn.consensus.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.consensus.Effects;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.ValidatorSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UnreachableProposerTimeoutTest {
  private static final List<PublicKey> KEYS =
      IntStream.range(0, 4).mapToObj(i -> KeyPair.fromSeedText("validator-" + i).publicKey()).toList();
  private static final ValidatorSet VALIDATORS = new ValidatorSet(KEYS);
  private static final long HEAD = 41;

  private static long delay(long height, int round, long engineDelayMillis, Set<PublicKey> down) {
    return Driver.timerDelayMillis(new Effects.TimerRequest(height, round, 7, engineDelayMillis), HEAD,
        VALIDATORS, key -> !down.contains(key), 500);
  }

  @Test
  void aRoundWhoseProposerIsDisconnectedWaitsOnlyTheCap() {
    PublicKey proposer = VALIDATORS.proposer(HEAD + 1, 0);
    assertThat(delay(HEAD + 1, 0, 2_000, Set.of(proposer))).isEqualTo(500);
    assertThat(delay(HEAD + 1, 0, 2_000, Set.of())).as("proposer connected: the engine's timeout").isEqualTo(2_000);
  }

  @Test
  void onlyTheRoundsOwnProposerCounts() {
    PublicKey roundZero = VALIDATORS.proposer(HEAD + 1, 0);
    PublicKey roundOne = VALIDATORS.proposer(HEAD + 1, 1);
    assertThat(roundOne).isNotEqualTo(roundZero);
    assertThat(delay(HEAD + 1, 1, 4_000, Set.of(roundZero))).as("round 1's proposer is up").isEqualTo(4_000);
    assertThat(delay(HEAD + 1, 1, 4_000, Set.of(roundOne))).isEqualTo(500);
  }

  @Test
  void theCapNeverLengthensAShorterTimeout() {
    PublicKey proposer = VALIDATORS.proposer(HEAD + 1, 0);
    assertThat(delay(HEAD + 1, 0, 300, Set.of(proposer))).isEqualTo(300);
  }

  @Test
  void aTimerForAnotherHeightKeepsTheEnginesTimeout() {
    // The validator set passed in is the next height's; for any other height it may not name the proposer.
    PublicKey proposer = VALIDATORS.proposer(HEAD + 2, 0);
    assertThat(delay(HEAD + 2, 0, 2_000, Set.of(proposer))).isEqualTo(2_000);
  }
}
